import { MetricsRegistry } from '@app/observability';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ClaimedDelivery, DeliveriesRepository } from './deliveries.repository';
import type { SendResult } from './webhook-sender';

/** An attempt's answer in a word: its status class, or `none` without one (a timeout, a refused connection). */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'none';

/** The outcome and status class pairs an attempt can have: `succeeded` is a 2xx, anything else failed. */
const ATTEMPT_SERIES = [
  { outcome: 'succeeded', status_class: '2xx' },
  ...(['3xx', '4xx', '5xx', 'none'] as const).map((statusClass) => ({ outcome: 'failed', status_class: statusClass })),
];

const statusClassOf = (statusCode: number | null): StatusClass => {
  if (statusCode === null || statusCode < 200 || statusCode >= 600) return 'none';
  return `${Math.floor(statusCode / 100)}xx` as StatusClass;
};

@Injectable()
export class DeliveryMetrics {
  private readonly attempts: Counter<'outcome' | 'status_class'>;
  private readonly forwards: Counter<'outcome'>;
  readonly dead: Counter;
  private readonly duration: Histogram;
  private readonly endToEnd: Histogram;
  readonly overdue: Gauge;
  readonly claimsExpired: Counter;
  readonly circuitsOpen: Gauge;
  private readonly byStatus: Gauge<'status'>;

  constructor(metrics: MetricsRegistry, deliveries: DeliveriesRepository) {
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome and status class (2xx..5xx; none: no answer)',
      labelNames: ['outcome', 'status_class'],
      registers: [metrics.registry],
    });
    // At zero from start-up (CONTRACT.md section 10): dashboards show 0, not "no data".
    for (const series of ATTEMPT_SERIES) this.attempts.inc(series, 0);
    this.forwards = new Counter({
      name: 'subscription_forwards_total',
      help: "Forwards of events to subscriptions' queues, by outcome (succeeded: confirmed by the broker)",
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
    for (const outcome of ['succeeded', 'failed']) this.forwards.inc({ outcome }, 0);
    this.dead = new Counter({
      name: 'webhook_deliveries_dead_total',
      help: 'Deliveries that used up their retry schedule',
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Duration of webhook attempts',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers: [metrics.registry],
    });
    this.endToEnd = new Histogram({
      name: 'webhook_end_to_end_seconds',
      help: "From an event's commit (its envelope time) to the 2xx of its webhook, retries included; replays left out",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 7200],
      registers: [metrics.registry],
    });
    this.overdue = new Gauge({
      name: 'webhook_deliveries_overdue',
      help: 'Deliveries overdue by more than a minute and not being attempted (a stalled sender)',
      registers: [metrics.registry],
    });
    this.claimsExpired = new Counter({
      name: 'webhook_claims_expired_total',
      help: 'Claimed deliveries given up unattempted because they waited in a slow lane until their claim ran out',
      registers: [metrics.registry],
    });
    this.circuitsOpen = new Gauge({
      name: 'webhook_circuits_open',
      help: 'Endpoints whose circuit breaker holds their deliveries back to one probe at a time',
      registers: [metrics.registry],
    });
    this.byStatus = new Gauge({
      name: 'webhook_deliveries',
      help: 'Deliveries by status, read from the delivery log at scrape time: pending and failed (still to be attempted), dead (given up, kept until pruned)',
      labelNames: ['status'],
      registers: [metrics.registry],
      // A database that cannot be asked leaves the last figures in place (readiness says why).
      collect: async () => {
        const counts = await deliveries.countByStatus().catch(() => undefined);
        if (counts) for (const [status, count] of Object.entries(counts)) this.byStatus.set({ status }, count);
      },
    });
  }

  /** A forward to a subscription's queue: no status code, confirmed by the broker or not. */
  forwarded(succeeded: boolean): void {
    this.forwards.inc({ outcome: succeeded ? 'succeeded' : 'failed' });
  }

  /**
   * An attempt's answer: counted by outcome and status class, timed, and, for a 2xx, how long
   * after its event's commit (the envelope time) it arrived. A replay re-sends an old event on
   * purpose: its age says nothing of the platform's latency, so it is left out.
   */
  attempted(delivery: ClaimedDelivery, attemptedAt: Date, result: SendResult): void {
    const statusClass = statusClassOf(result.statusCode);
    const succeeded = statusClass === '2xx';
    this.attempts.inc({ outcome: succeeded ? 'succeeded' : 'failed', status_class: statusClass });
    this.duration.observe(result.durationMs / 1000);
    // Without a readable time (an envelope from outside the contract) there is nothing to measure,
    // and one NaN would spoil the histogram's sum for good.
    const committedAt = Date.parse(delivery.time);
    if (succeeded && !delivery.replay && Number.isFinite(committedAt)) {
      const answeredAt = attemptedAt.getTime() + result.durationMs;
      this.endToEnd.observe(Math.max(0, answeredAt - committedAt) / 1000);
    }
  }
}
