import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { ConsumeEvent, Inbox } from '@app/messaging';
import { WriteBatcher } from '@app/persistence';
import { Controller } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ClaimedDelivery } from '../deliveries/deliveries.repository';
import { DeliveryDispatcher, HandOffPlan } from '../deliveries/delivery-dispatcher';
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
  private readonly batcher = new WriteBatcher<EventEnvelope, boolean>(async (events) => {
    // Before the transaction: the claims it makes count from its start (now() in PostgreSQL).
    const claimedAt = Date.now();
    const plan = await this.dispatcher.handOffPlan();
    let handOff: ClaimedDelivery[] = [];
    const applied = await this.inbox.processBatch(FAN_OUT_QUEUE, events, async (manager, fresh) => {
      handOff = await this.fanOut(manager, fresh, plan, claimedAt);
    });
    // Committed: what this instance claimed goes straight to its lanes.
    this.dispatcher.handOff(plan, handOff);
    return applied;
  }, FAN_OUT_BATCH);

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
    // No webhook.test arrives here: it never travels on RabbitMQ, and the transport refuses every
    // type the catalogue does not put on the broker (a forged one goes to the DLQ).
    if (await this.batcher.submit(event)) this.dispatcher.wake();
  }

  /** Archives the events and creates their deliveries; answers those claimed for this instance. */
  private async fanOut(
    manager: EntityManager,
    events: EventEnvelope[],
    plan: HandOffPlan | undefined,
    claimedAt: number,
  ): Promise<ClaimedDelivery[]> {
    const endpoints = await this.endpoints.enabled(manager);
    const room = new Map(endpoints.map((endpoint) => [endpoint.id, plan?.roomFor(endpoint.id) ?? 0]));
    let roomInAll = plan?.room ?? 0;
    const bodies = events.map((event) => JSON.stringify(event));
    const handOff: ClaimedDelivery[] = [];
    const pairs = events.flatMap((event, eventIndex) =>
      endpoints
        .filter((endpoint) => wantsEvent(endpoint.event_types, event.type))
        .map((endpoint) => {
          const id = randomUUID();
          const left = room.get(endpoint.id) ?? 0;
          const claimed = left > 0 && roomInAll > 0;
          if (claimed) {
            room.set(endpoint.id, left - 1);
            roomInAll--;
            handOff.push({
              id,
              endpoint_id: endpoint.id,
              event_id: event.id,
              body: bodies[eventIndex],
              attempts: 0,
              url: endpoint.url,
              secret: endpoint.secret,
              previous_secret: endpoint.previous_secret,
              previous_secret_expires_at: endpoint.previous_secret_expires_at,
              failing_since: endpoint.failing_since,
              claimedAt,
            });
          }
          return { id, eventIndex, endpointId: endpoint.id, claimed };
        }),
    );
    await this.fanOutRows.archiveAndDeliver(manager, bodies, pairs, {
      claimedBy: plan?.claimedBy ?? 0,
      claimMs: plan?.claimMs ?? 0,
    });
    return handOff;
  }
}
