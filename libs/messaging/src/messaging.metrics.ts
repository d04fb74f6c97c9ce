import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const CONSUME_OUTCOMES = ['acked', 'retried', 'dead_lettered'] as const;
export type ConsumeOutcome = (typeof CONSUME_OUTCOMES)[number];
export const HANDLER_OUTCOMES = ['succeeded', 'failed'] as const;
export type HandlerOutcome = (typeof HANDLER_OUTCOMES)[number];

/**
 * Metrics of the event backbone: outbox backlog and age, publishes and how long after their
 * commit they went out, consumer outcomes and handler durations.
 */
export class MessagingMetrics {
  readonly published: Counter<'exchange'>;
  readonly commitToPublish: Histogram<'exchange'>;
  readonly consumed: Counter<'queue' | 'outcome'>;
  readonly handlerDuration: Histogram<'queue' | 'outcome'>;
  readonly duplicates: Counter<'consumer'>;
  readonly relayLeader: Gauge;
  private readonly deadLetterDepth: Gauge<'queue'>;
  private readonly deadLetterCounters: (() => Promise<{ queue: string; messages: number }[]>)[] = [];
  private readonly backlog: Gauge;
  private readonly oldestPendingAge: Gauge;

  constructor(
    registry: Registry,
    outboxStats: () => Promise<{ pending: number; oldestAgeSeconds: number }>,
    /** The exchange this app publishes to: its counter exists at zero from start-up. */
    exchange: string,
  ) {
    this.published = new Counter({
      name: 'outbox_events_published_total',
      help: 'Outbox events published and confirmed by the broker',
      labelNames: ['exchange'],
      registers: [registry],
    });
    this.published.inc({ exchange }, 0);
    this.commitToPublish = new Histogram({
      name: 'outbox_commit_to_publish_seconds',
      help: "From an outbox row's insert to the broker's confirm of its publish",
      labelNames: ['exchange'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers: [registry],
    });
    this.commitToPublish.zero({ exchange });
    this.consumed = new Counter({
      name: 'messages_consumed_total',
      help: 'Messages consumed, by queue and outcome (acked, retried, dead_lettered)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'message_handler_duration_seconds',
      help: 'Time a handler took over a message, by queue and outcome (succeeded, failed)',
      labelNames: ['queue', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers: [registry],
    });
    this.duplicates = new Counter({
      name: 'inbox_duplicates_total',
      help: 'Deliveries skipped because the event had already been applied',
      labelNames: ['consumer'],
      registers: [registry],
    });
    this.deadLetterDepth = new Gauge({
      name: 'dead_letter_queue_messages',
      help: "Messages waiting in each of this app's dead-letter queues (<queue>.dlq), read from the broker at scrape time",
      labelNames: ['queue'],
      registers: [registry],
      collect: async () => {
        for (const count of this.deadLetterCounters) {
          const depths = await count().catch(() => []);
          for (const { queue, messages } of depths) this.deadLetterDepth.set({ queue }, messages);
        }
      },
    });
    this.relayLeader = new Gauge({
      name: 'outbox_relay_leader',
      help: '1 while this instance holds the outbox relay leadership',
      registers: [registry],
    });
    this.backlog = new Gauge({
      name: 'outbox_backlog_events',
      help: 'Committed outbox events not yet published',
      registers: [registry],
      collect: async () => {
        const stats = await outboxStats().catch(() => undefined);
        if (stats) this.backlog.set(stats.pending);
      },
    });
    this.oldestPendingAge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox event (0 when none)',
      registers: [registry],
      collect: async () => {
        const stats = await outboxStats().catch(() => undefined);
        if (stats) this.oldestPendingAge.set(stats.oldestAgeSeconds);
      },
    });
  }

  /**
   * Creates a consumer queue's series (outcomes, handler durations) at zero (CONTRACT.md section
   * 10): a dashboard shows 0 for a queue that has consumed nothing yet, not "no data".
   */
  consuming(queue: string): void {
    for (const outcome of CONSUME_OUTCOMES) this.consumed.inc({ queue, outcome }, 0);
    for (const outcome of HANDLER_OUTCOMES) this.handlerDuration.zero({ queue, outcome });
  }

  /**
   * Reports the depth of dead-letter queues at every scrape (CONTRACT.md section 10): a parked
   * message must show on a dashboard, and the broker's own endpoint has no per-queue series by
   * default. A broker that cannot be asked leaves the last figures in place.
   */
  countDeadLetters(count: () => Promise<{ queue: string; messages: number }[]>): void {
    this.deadLetterCounters.push(count);
  }
}
