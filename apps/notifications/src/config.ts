import { baseEnvSchema, duration, durationList, PlatformConfig, portSchema } from '@app/config';
import { z } from 'zod';

const booleanText = z.enum(['true', 'false'], { error: 'expected "true" or "false"' }).transform((v) => v === 'true');

export const notificationsEnvSchema = baseEnvSchema
  .extend({
    PORT: portSchema(3002),
    // The Standard Webhooks recommendation, about 75 hours in all.
    WEBHOOK_RETRY_SCHEDULE: durationList('5s,5m,30m,2h').prefault(
      ['5s', '5m', '30m', '2h', '5h', '10h', '10h', '24h', '24h'].join(','),
    ),
    WEBHOOK_TIMEOUT_MS: z.coerce
      .number({ error: 'expected milliseconds' })
      .int({ error: 'expected milliseconds' })
      .positive({ error: 'expected milliseconds' })
      .default(15_000),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanText.default(false),
    WEBHOOK_ALLOW_HTTP: booleanText.optional(),
    // Circuit breaker: this many failed attempts in a row, over at least this long, hold an
    // endpoint's deliveries back to one probe per due attempt (0 failures: never).
    WEBHOOK_CIRCUIT_BREAKER_FAILURES: z.coerce
      .number({ error: 'expected a whole number' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected a whole number' })
      .default(10),
    WEBHOOK_CIRCUIT_BREAKER_MIN_FAILING_MS: z.coerce
      .number({ error: 'expected milliseconds' })
      .int({ error: 'expected milliseconds' })
      .min(0, { error: 'expected milliseconds' })
      .default(60_000),
    // Where the archive that replay reads is filled from on first start (GET /events of the
    // transactions service), and the key sent there (defaults to the first of API_KEYS).
    TRANSACTIONS_URL: z
      .url({ error: 'expected the transactions service URL, e.g. http://transactions:3000' })
      .default('http://localhost:3000'),
    TRANSACTIONS_API_KEY: z.string().optional(),
    DELIVERY_LOG_RETENTION: duration('90d').default(90 * 86_400_000),
    // Attempts in flight to one endpoint at most (CONTRACT.md section 9).
    WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce
      .number({ error: 'expected a whole number from 1 to 128' })
      .int({ error: 'expected a whole number from 1 to 128' })
      .min(1, { error: 'expected a whole number from 1 to 128' })
      .max(128, { error: 'expected a whole number from 1 to 128' })
      .default(16),
  })
  // Plain http:// targets are refused in production unless explicitly allowed.
  .transform((config) => ({
    ...config,
    WEBHOOK_ALLOW_HTTP: config.WEBHOOK_ALLOW_HTTP ?? config.NODE_ENV !== 'production',
  }));

export type NotificationsConfig = z.output<typeof notificationsEnvSchema> & PlatformConfig;
