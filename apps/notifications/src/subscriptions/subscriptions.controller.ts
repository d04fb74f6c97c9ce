import { PageQueryDto, ProblemDto } from '@app/dto';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateSubscriptionDto,
  DeleteSubscriptionQuery,
  SubscriptionReplayDto,
  UpdateSubscriptionDto,
} from './subscription.dto';
import { SubscriptionPage, SubscriptionView } from './subscription.view';
import { SubscriptionsService } from './subscriptions.service';

const ID = new ParseIdPipe('subscription');

@ApiTags('subscriptions')
@ApiCommonErrors()
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Route matching events to the queue subscriptions.<queue>, declared by the platform' })
  @ApiCreatedResponse({ type: SubscriptionView })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Bad queue name, eventTypes, filter or ordering' })
  @ApiConflictResponse({ type: ProblemDto, description: 'queue-taken: another subscription has this queue' })
  @ApiServiceUnavailableResponse({
    type: ProblemDto,
    description: 'RabbitMQ could not declare the queue; nothing was stored',
  })
  create(@Body() body: CreateSubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.create(body);
  }

  @Get()
  @ApiOkResponse({ type: SubscriptionPage })
  list(@Query() query: PageQueryDto): Promise<SubscriptionPage> {
    return this.subscriptions.list(query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriptionView })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@Param('id', ID) id: string): Promise<SubscriptionView> {
    return this.subscriptions.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change eventTypes, filter, ordering, description, or enable/disable forwarding' })
  @ApiOkResponse({ type: SubscriptionView })
  @ApiNotFoundResponse({ type: ProblemDto })
  update(@Param('id', ID) id: string, @Body() body: UpdateSubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop forwarding; the queue and what it holds are kept unless deleteQueue=true' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiServiceUnavailableResponse({
    type: ProblemDto,
    description: 'deleteQueue=true and RabbitMQ could not delete the queue; the subscription is gone, its queue stays',
  })
  delete(@Param('id', ID) id: string, @Query() query: DeleteSubscriptionQuery): Promise<void> {
    return this.subscriptions.delete(id, query.deleteQueue === 'true');
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-send archived events matching the filters with time in [since, until), in publish order',
  })
  @ApiAcceptedResponse({ schema: { example: { replayed: 42 } } })
  @ApiNotFoundResponse({ type: ProblemDto })
  replay(@Param('id', ID) id: string, @Body() body: SubscriptionReplayDto): Promise<{ replayed: number }> {
    return this.subscriptions.replay(id, body);
  }
}
