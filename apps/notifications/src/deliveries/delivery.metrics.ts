import { MetricsRegistry } from '@app/observability';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';

@Injectable()
export class DeliveryMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly dead: Counter;
  readonly duration: Histogram;
  readonly overdue: Gauge;
  readonly claimsExpired: Counter;
  readonly circuitsOpen: Gauge;

  constructor(metrics: MetricsRegistry) {
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
    // At zero from start-up (CONTRACT.md section 10): dashboards show 0, not "no data".
    for (const outcome of ['succeeded', 'failed']) this.attempts.inc({ outcome }, 0);
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
  }
}
