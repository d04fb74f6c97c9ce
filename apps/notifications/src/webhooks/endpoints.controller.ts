import { IsRfc3339, PageQueryDto, ProblemDto, RFC3339_MAX_LENGTH } from '@app/dto';
import { ApiCommonErrors, NoBodyFieldsPipe, ParseIdPipe } from '@app/http';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { DeliveryView } from '../deliveries/delivery.view';
import { CreateEndpointDto, UpdateEndpointDto } from './endpoint.dto';
import { EndpointPage, EndpointView, EndpointWithSecretView } from '../endpoints/endpoint.view';
import { EndpointsService } from './endpoints.service';

export class ReplayDto {
  @ApiProperty({
    example: '2026-01-02T00:00:00Z',
    maxLength: RFC3339_MAX_LENGTH,
    description: 'Re-send every matching event with time at or after this',
  })
  @IsRfc3339()
  since: string;
}

@ApiTags('webhooks')
@ApiCommonErrors()
@Controller('webhooks')
export class EndpointsController {
  constructor(private readonly endpoints: EndpointsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribe an endpoint; the signing secret is shown only in this answer' })
  @ApiCreatedResponse({ type: EndpointWithSecretView })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Invalid URL, refused target, or bad eventTypes' })
  create(@Body() body: CreateEndpointDto): Promise<EndpointWithSecretView> {
    return this.endpoints.create(body);
  }

  @Get()
  @ApiOkResponse({ type: EndpointPage })
  list(@Query() query: PageQueryDto): Promise<EndpointPage> {
    return this.endpoints.list(query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: EndpointView })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@Param('id', new ParseIdPipe('webhook endpoint')) id: string): Promise<EndpointView> {
    return this.endpoints.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, eventTypes, description, or enable/disable' })
  @ApiOkResponse({ type: EndpointView })
  @ApiNotFoundResponse({ type: ProblemDto })
  update(
    @Param('id', new ParseIdPipe('webhook endpoint')) id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointView> {
    return this.endpoints.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  delete(@Param('id', new ParseIdPipe('webhook endpoint')) id: string): Promise<void> {
    return this.endpoints.delete(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret; the old one keeps signing as a second signature for 24 hours' })
  @ApiOkResponse({ type: EndpointWithSecretView })
  rotate(
    @Param('id', new ParseIdPipe('webhook endpoint')) id: string,
    @Body(NoBodyFieldsPipe) _none: unknown,
  ): Promise<EndpointWithSecretView> {
    return this.endpoints.rotateSecret(id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test event to this endpoint only' })
  @ApiAcceptedResponse({ type: DeliveryView })
  test(
    @Param('id', new ParseIdPipe('webhook endpoint')) id: string,
    @Body(NoBodyFieldsPipe) _none: unknown,
  ): Promise<DeliveryView> {
    return this.endpoints.sendTest(id);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-send archived events matching the filters, from `since` on, with their original ids' })
  @ApiAcceptedResponse({ schema: { example: { replayed: 42 } } })
  replay(
    @Param('id', new ParseIdPipe('webhook endpoint')) id: string,
    @Body() body: ReplayDto,
  ): Promise<{ replayed: number }> {
    return this.endpoints.replay(id, body.since);
  }
}
