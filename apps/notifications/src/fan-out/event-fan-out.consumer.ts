import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { ConsumeEvent, MessagingMetrics } from '@app/messaging';
import { WriteBatcher } from '@app/persistence';
import { Controller } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClaimedDelivery } from '../deliveries/deliveries.repository';
import { DeliveryDispatcher, HandOffPlan } from '../deliveries/delivery-dispatcher';
import { EnabledEndpoint, EndpointsRepository } from '../endpoints/endpoints.repository';
import { TargetFilters } from '../endpoints/event-filter';
import type { Target } from '../endpoints/target';
import { FanOutPair, FanOutRepository } from './fan-out.repository';

export const FAN_OUT_QUEUE = 'notifications.deliveries';
/** Messages in hand at once: the most events one fan-out transaction can gather. */
const FAN_OUT_PREFETCH = 1000;
const FAN_OUT_BATCH = 250;

/**
 * Every event of the three exchanges, fanned out to every enabled endpoint whose filters match:
 * the deliveries (and the archive entry replay reads) are committed, with the event id in the
 * inbox, before the message is acked; those claimed as they were created go straight to this
 * instance's lanes, and the dispatcher is woken for the others. Events that arrive together
 * are committed together: per batch, one read of the endpoints and one statement that does the
 * rest (see FanOutRepository.applyBatch), not a transaction per event.
 */
@Controller()
export class EventFanOutConsumer {
  private readonly filters = new TargetFilters();
  private readonly batcher = new WriteBatcher<EventEnvelope, boolean>(async (events) => {
    // Before the statement: the claims it makes count from its start (now() in PostgreSQL).
    const claimedAt = Date.now();
    const plan = await this.dispatcher.handOffPlan();
    const endpoints = await this.endpoints.enabled();
    const { bodies, pairs, claimed } = this.deliveriesOf(events, endpoints, plan, claimedAt);
    const applied = await this.fanOutRows.applyBatch(
      FAN_OUT_QUEUE,
      events.map((event, index) => ({ id: event.id, body: bodies[index] })),
      pairs,
      { claimedBy: plan?.claimedBy ?? 0, claimMs: plan?.claimMs ?? 0 },
    );
    const duplicates = applied.filter((fresh) => !fresh).length;
    if (duplicates > 0) this.metrics.duplicates.inc({ consumer: FAN_OUT_QUEUE }, duplicates);
    // Committed: what this instance claimed goes straight to its lanes, but only the deliveries
    // that were created (not those of an event already applied).
    this.dispatcher.handOff(
      plan,
      claimed.filter(({ eventIndex }) => applied[eventIndex]).map(({ delivery }) => delivery),
    );
    // Deliveries the lanes had no room for wait in the table: time to claim them.
    if (pairs.some((pair) => !pair.claimed && applied[pair.eventIndex])) this.dispatcher.wake();
    return applied;
  }, FAN_OUT_BATCH);

  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly fanOutRows: FanOutRepository,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly metrics: MessagingMetrics,
  ) {}

  @ConsumeEvent('#', {
    exchange: [EXCHANGES.transactions, EXCHANGES.adEngine, EXCHANGES.notifications],
    queue: FAN_OUT_QUEUE,
    prefetch: FAN_OUT_PREFETCH,
  })
  async receive(event: EventEnvelope): Promise<void> {
    // No webhook.test arrives here: it never travels on RabbitMQ, and the transport refuses every
    // type the catalogue does not put on the broker (a forged one goes to the DLQ).
    await this.batcher.submit(event);
  }

  /**
   * One delivery per event and matching endpoint; those the plan has room for are claimed for
   * this instance, to be handed to its lanes once committed.
   */
  private deliveriesOf(
    events: EventEnvelope[],
    endpoints: EnabledEndpoint[],
    plan: HandOffPlan | undefined,
    claimedAt: number,
  ): { bodies: string[]; pairs: FanOutPair[]; claimed: { eventIndex: number; delivery: ClaimedDelivery }[] } {
    const room = new Map(endpoints.map((endpoint) => [endpoint.id, plan?.roomFor(endpoint.id) ?? 0]));
    const filters = this.filters.of(endpoints);
    let roomInAll = plan?.room ?? 0;
    const bodies = events.map((event) => JSON.stringify(event));
    const claimed: { eventIndex: number; delivery: ClaimedDelivery }[] = [];
    const pairs = events.flatMap((event, eventIndex) =>
      endpoints
        .filter((endpoint) => filters.get(endpoint.id)?.wants(event))
        .map((endpoint) => {
          const id = randomUUID();
          const left = room.get(endpoint.id) ?? 0;
          // An ordered endpoint's delivery may have to wait for an earlier one of its subject:
          // only a claim, which checks, may take it.
          const ordered = endpoint.ordering === 'subject';
          const claims = !ordered && left > 0 && roomInAll > 0;
          if (claims) {
            room.set(endpoint.id, left - 1);
            roomInAll--;
            claimed.push({
              eventIndex,
              delivery: {
                id,
                endpoint_id: endpoint.id,
                event_id: event.id,
                body: bodies[eventIndex],
                time: event.time,
                attempts: 0,
                replay: false,
                ordering: endpoint.ordering,
                claimedAt,
                ...targetOf(endpoint),
              },
            });
          }
          return { id, eventIndex, endpointId: endpoint.id, claimed: claims, ordered };
        }),
    );
    return { bodies, pairs, claimed };
  }
}

/** What an attempt needs of its target: a webhook's URL and secrets, or a subscription's queue. */
function targetOf(endpoint: EnabledEndpoint): Target {
  const { queue, url, secret, previous_secret, previous_secret_expires_at, failing_since } = endpoint;
  return { queue, url, secret, previous_secret, previous_secret_expires_at, failing_since } as Target;
}
