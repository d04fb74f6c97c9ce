import type { Page } from '@app/persistence';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import { HTTP_ERRORS } from '@app/http';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DeliveryDispatcher } from '../deliveries/delivery-dispatcher';
import { ArchiveReplay } from '../deliveries/archive-replay';
import type { CreateSubscriptionDto, SubscriptionReplayDto, UpdateSubscriptionDto } from './subscription.dto';
import { BrokerUnavailable, QueueArgumentsConflict, SubscriptionQueues } from '../deliveries/subscription-queues';
import { SubscriptionView } from './subscription.view';
import { SUBSCRIPTION_ERRORS } from './subscriptions.errors';
import { SubscriptionChange, SubscriptionsRepository } from './subscriptions.repository';

/**
 * Event-bus subscriptions (CONTRACT.md section 8): rules that route every matching event of the
 * platform to a queue the platform owns. The queue is declared before the subscription is
 * stored, so its first event always has somewhere to go.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly queues: SubscriptionQueues,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly archiveReplay: ArchiveReplay,
  ) {}

  async create(dto: CreateSubscriptionDto): Promise<SubscriptionView> {
    try {
      await this.queues.declare(dto.queue);
    } catch (error) {
      if (error instanceof BrokerUnavailable) throw unavailable(error);
      if (!(error instanceof QueueArgumentsConflict)) throw error;
      throw new DomainError(
        SUBSCRIPTION_ERRORS['queue-taken'],
        `${error.message} already exists with other arguments than a subscription's`,
      );
    }
    const row = await this.subscriptions.insert({
      id: randomUUID(),
      queue: dto.queue,
      description: dto.description ?? null,
      event_types: dto.eventTypes ?? null,
      filter: dto.filter ?? null,
      ordering: dto.ordering ?? 'none',
    });
    if (!row)
      throw new DomainError(
        SUBSCRIPTION_ERRORS['queue-taken'],
        `Another subscription already forwards to queue ${dto.queue}`,
      );
    return SubscriptionView.of(row);
  }

  async get(id: string): Promise<SubscriptionView> {
    return SubscriptionView.of(await this.mustFind(id));
  }

  list(limit: number, cursor?: string): Promise<Page<SubscriptionView>> {
    return this.subscriptions.list(limit, cursor);
  }

  async update(id: string, dto: UpdateSubscriptionDto): Promise<SubscriptionView> {
    const change: SubscriptionChange = {};
    if (dto.description !== undefined) change.description = dto.description;
    if (dto.eventTypes !== undefined) change.event_types = dto.eventTypes;
    if (dto.filter !== undefined) change.filter = dto.filter;
    if (dto.ordering !== undefined) change.ordering = dto.ordering;
    if (dto.enabled !== undefined) change.enabled = dto.enabled;
    const row =
      Object.keys(change).length > 0
        ? await this.dataSource.transaction((manager) => this.subscriptions.update(manager, id, change))
        : await this.subscriptions.find(id);
    if (!row) throw notFound(id);
    // Disabled: what is queued here for it goes back (its deliveries wait, unclaimed, until it is
    // enabled again); enabled: they are due at once.
    if (dto.enabled !== undefined) await this.dispatcher.endpointChanged(id);
    else this.dispatcher.wake();
    return SubscriptionView.of(row);
  }

  /** Stops forwarding; the queue and what it holds stay unless `deleteQueue`. */
  async delete(id: string, deleteQueue: boolean): Promise<void> {
    const row = await this.subscriptions.delete(id);
    if (!row) throw notFound(id);
    await this.dispatcher.endpointChanged(id);
    if (!deleteQueue) return;
    try {
      await this.queues.delete(row.queue);
    } catch (error) {
      // The subscription is gone; its queue stays, as without deleteQueue, and the answer says so.
      if (error instanceof BrokerUnavailable) throw unavailable(error);
      throw error;
    }
  }

  async replay(id: string, dto: SubscriptionReplayDto): Promise<{ replayed: number }> {
    const subscription = await this.mustFind(id);
    return { replayed: await this.archiveReplay.replay(subscription, dto) };
  }

  private async mustFind(id: string) {
    const row = await this.subscriptions.find(id);
    if (!row) throw notFound(id);
    return row;
  }
}

function unavailable(error: BrokerUnavailable): DomainError {
  return new DomainError(HTTP_ERRORS['service-unavailable'], `RabbitMQ: ${error.message}; try again`);
}

function notFound(id: string): DomainError {
  return new DomainError(COMMON_ERRORS['not-found'], `No subscription ${id}`);
}
