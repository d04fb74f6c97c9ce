import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { ConsumeEvent, Inbox } from '@app/messaging';
import { WriteBatcher } from '@app/persistence';
import { Controller } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeliveryDispatcher } from '../deliveries/delivery-dispatcher';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { wantsEvent } from '../endpoints/event-filter';
import { FanOutRepository } from './fan-out.repository';

export const FAN_OUT_QUEUE = 'notifications.deliveries';
/** Messages in hand at once: the most events one fan-out transaction can gather. */
const FAN_OUT_PREFETCH = 1000;
const FAN_OUT_BATCH = 250;

/**
 * Every event of the three exchanges, fanned out to every enabled endpoint whose filters match:
 * the deliveries (and the archive entry replay reads) are committed, with the event id in the
 * inbox, before the message is acked. Then the dispatcher is woken. Events that arrive together
 * are committed together: one transaction of three statements per batch, not per event.
 */
@Controller()
export class EventFanOutConsumer {
  private readonly batcher = new WriteBatcher<EventEnvelope, boolean>(
    (events) => this.inbox.processBatch(FAN_OUT_QUEUE, events, (manager, fresh) => this.fanOut(manager, fresh)),
    FAN_OUT_BATCH,
  );

  constructor(
    private readonly inbox: Inbox,
    private readonly endpoints: EndpointsRepository,
    private readonly fanOutRows: FanOutRepository,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  @ConsumeEvent('#', {
    exchange: [EXCHANGES.transactions, EXCHANGES.adEngine, EXCHANGES.notifications],
    queue: FAN_OUT_QUEUE,
    prefetch: FAN_OUT_PREFETCH,
  })
  async receive(event: EventEnvelope): Promise<void> {
    // webhook.test goes only to the endpoint it was sent for, never through the broker.
    if (event.type === 'webhook.test') return;
    if (await this.batcher.submit(event)) this.dispatcher.wake();
  }

  private async fanOut(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    const endpoints = await this.endpoints.enabled(manager);
    const pairs = events.flatMap((event, eventIndex) =>
      endpoints
        .filter((endpoint) => wantsEvent(endpoint.event_types, event.type))
        .map((endpoint) => ({ eventIndex, endpointId: endpoint.id })),
    );
    await this.fanOutRows.archiveAndDeliver(manager, events, pairs);
  }
}
