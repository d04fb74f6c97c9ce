import { PageQueryDto, ProblemDto } from '@app/dto';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import { ApiCommonErrors, NoBodyFieldsPipe, ParseIdPipe } from '@app/http';
import { Page } from '@app/persistence';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { AttemptPage, AttemptView, DeliveryPage, DeliveryStatus, DeliveryView } from './delivery.view';
import { DELIVERY_ERRORS } from './deliveries.errors';

const STATUSES: DeliveryStatus[] = ['pending', 'succeeded', 'failed', 'dead'];

export class ListDeliveriesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: DeliveryStatus;
}

@ApiTags('deliveries')
@ApiCommonErrors()
@Controller()
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  @Get('webhooks/:id/deliveries')
  @ApiOkResponse({ type: DeliveryPage })
  @ApiNotFoundResponse({ type: ProblemDto })
  async list(
    @Param('id', new ParseIdPipe('webhook endpoint')) id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<DeliveryPage> {
    if (!(await this.endpoints.find(id))) {
      throw new DomainError(COMMON_ERRORS['not-found'], `No webhook endpoint ${id}`);
    }
    return this.deliveries.list(id, query.status, query.limit, query.cursor);
  }

  @Get('deliveries/:id/attempts')
  @ApiOkResponse({ type: AttemptPage })
  @ApiNotFoundResponse({ type: ProblemDto })
  async attempts(
    @Param('id', new ParseIdPipe('delivery')) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<AttemptView>> {
    if (!(await this.deliveries.find(id))) throw new DomainError(COMMON_ERRORS['not-found'], `No delivery ${id}`);
    return this.deliveries.attempts(id, query.limit, query.cursor);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryView })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'The endpoint is disabled' })
  async retry(
    @Param('id', new ParseIdPipe('delivery')) id: string,
    @Body(NoBodyFieldsPipe) _none: unknown,
  ): Promise<DeliveryView> {
    const delivery = await this.deliveries.find(id);
    if (!delivery) throw new DomainError(COMMON_ERRORS['not-found'], `No delivery ${id}`);
    const row = await this.deliveries.retryNow(id);
    if (!row) {
      throw new DomainError(
        DELIVERY_ERRORS['endpoint-disabled'],
        `Webhook endpoint ${delivery.endpoint_id} is disabled: enable it (PATCH {"enabled": true}) to retry its deliveries`,
      );
    }
    await this.dispatcher.retryNow(row.id);
    return DeliveryView.of(row);
  }
}
