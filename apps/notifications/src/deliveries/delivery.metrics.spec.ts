import { MetricsRegistry } from '@app/observability';
import type { ClaimedWebhookDelivery, DeliveriesRepository } from './deliveries.repository';
import { DeliveryMetrics } from './delivery.metrics';
import type { SendResult } from './webhook-sender';

const committedAt = new Date('2026-12-01T10:00:00.000Z');

function delivery(overrides: Partial<ClaimedWebhookDelivery> = {}): ClaimedWebhookDelivery {
  return {
    id: 'd',
    endpoint_id: 'e',
    event_id: 'ev',
    attempts: 0,
    replay: false,
    body: '{}',
    time: committedAt.toISOString(),
    ordering: 'none',
    queue: null,
    url: 'https://example.com/hooks',
    secret: 'whsec_c2VjcmV0',
    previous_secret: null,
    previous_secret_expires_at: null,
    failing_since: null,
    claimedAt: 0,
    ...overrides,
  };
}

const answer = (statusCode: number | null, durationMs = 100): SendResult => ({
  statusCode,
  responseExcerpt: null,
  error: statusCode === null ? 'timed out' : null,
  durationMs,
});

describe('DeliveryMetrics.attempted', () => {
  let registry: MetricsRegistry;
  let metrics: DeliveryMetrics;
  /** The value of one sample of a metric (its `_count` or `_sum` for a histogram). */
  const sample = async (name: string, labels: Record<string, string> = {}, metricName = name) => {
    const metric = await registry.registry.getSingleMetric(name)?.get();
    return metric?.values.find(
      (entry) =>
        ((entry as { metricName?: string }).metricName ?? name) === metricName &&
        Object.entries(labels).every(([label, labelValue]) => entry.labels[label] === labelValue),
    )?.value;
  };

  beforeEach(() => {
    registry = new MetricsRegistry('notifications');
    metrics = new DeliveryMetrics(registry, {} as DeliveriesRepository);
  });

  it('counts each answer under its outcome and status class, none when there was no answer', async () => {
    for (const status of [200, 204, 302, 404, 410, 503, null, 101]) {
      metrics.attempted(delivery(), committedAt, answer(status));
    }
    const counted = async (outcome: string, statusClass: string) =>
      sample('webhook_attempts_total', { outcome, status_class: statusClass });
    expect({
      '2xx': await counted('succeeded', '2xx'),
      '3xx': await counted('failed', '3xx'),
      '4xx': await counted('failed', '4xx'),
      '5xx': await counted('failed', '5xx'),
      none: await counted('failed', 'none'),
    }).toEqual({ '2xx': 2, '3xx': 1, '4xx': 2, '5xx': 1, none: 2 });
  });

  it("times a 2xx from the event's commit to the answer, leaving out replays and envelopes without a time", async () => {
    // Attempted 9.5 s after the commit, answered 0.5 s later.
    const attemptedAt = new Date(committedAt.getTime() + 9_500);
    metrics.attempted(delivery(), attemptedAt, answer(200, 500));
    metrics.attempted(delivery({ replay: true }), attemptedAt, answer(200));
    metrics.attempted(delivery({ time: undefined as unknown as string }), attemptedAt, answer(200));
    metrics.attempted(delivery(), attemptedAt, answer(503));
    const endToEnd = (part: string) => sample('webhook_end_to_end_seconds', {}, `webhook_end_to_end_seconds_${part}`);
    expect({ count: await endToEnd('count'), sum: await endToEnd('sum') }).toEqual({ count: 1, sum: 10 });
  });
});
