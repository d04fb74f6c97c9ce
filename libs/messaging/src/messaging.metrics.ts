import { Counter, Gauge, Registry } from 'prom-client';

export type ConsumeOutcome = 'acked' | 'retried' | 'dead_lettered';

/** Metrics of the event backbone: outbox backlog and age, publishes, and consumer outcomes. */
export class MessagingMetrics {
  readonly published: Counter<'exchange'>;
  readonly consumed: Counter<'queue' | 'outcome'>;
  readonly duplicates: Counter<'consumer'>;
  readonly relayLeader: Gauge;
  private readonly backlog: Gauge;
  private readonly oldestPendingAge: Gauge;

  constructor(registry: Registry, outboxStats: () => Promise<{ pending: number; oldestAgeSeconds: number }>) {
    this.published = new Counter({
      name: 'outbox_events_published_total',
      help: 'Outbox events published and confirmed by the broker',
      labelNames: ['exchange'],
      registers: [registry],
    });
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
}
