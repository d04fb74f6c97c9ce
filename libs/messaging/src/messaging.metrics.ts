import { Counter, Gauge, Registry } from 'prom-client';

export const CONSUME_OUTCOMES = ['acked', 'retried', 'dead_lettered'] as const;
export type ConsumeOutcome = (typeof CONSUME_OUTCOMES)[number];

/** Metrics of the event backbone: outbox backlog and age, publishes, and consumer outcomes. */
export class MessagingMetrics {
  readonly published: Counter<'exchange'>;
  readonly consumed: Counter<'queue' | 'outcome'>;
  readonly duplicates: Counter<'consumer'>;
  readonly relayLeader: Gauge;
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
    this.consumed = new Counter({
      name: 'messages_consumed_total',
      help: 'Messages consumed, by queue and outcome (acked, retried, dead_lettered)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    });
    this.duplicates = new Counter({
      name: 'inbox_duplicates_total',
      help: 'Deliveries skipped because the event had already been applied',
      labelNames: ['consumer'],
      registers: [registry],
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
   * Creates a consumer queue's series at zero (CONTRACT.md section 10): a dashboard shows 0 for a
   * queue that has consumed nothing yet, not "no data".
   */
  consuming(queue: string): void {
    for (const outcome of CONSUME_OUTCOMES) this.consumed.inc({ queue, outcome }, 0);
  }
}
