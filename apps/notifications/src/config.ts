import { baseEnvSchema, duration, durationList, PlatformConfig, portSchema } from '@app/config';
import { z } from 'zod';
import { decodeSecretsKey } from './secrets/secret-box';

const SECRETS_KEY_EXPECTED = '32 bytes in base64, e.g. the output of openssl rand -base64 32';
const secretsKey = z.string().refine((value) => decodeSecretsKey(value) !== undefined, {
  error: `expected ${SECRETS_KEY_EXPECTED}`,
});

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
    // transactions service), and the key sent there (defaults to the first of API_KEYS). Traces
    // (GET /events/:id/trace) ask it, and the ad engine, what they kept of an event.
    TRANSACTIONS_URL: z
      .url({ error: 'expected the transactions service URL, e.g. http://transactions:3000' })
      .default('http://localhost:3000'),
    TRANSACTIONS_API_KEY: z.string().optional(),
    AD_ENGINE_URL: z
      .url({ error: 'expected the ad-engine service URL, e.g. http://ad-engine:3001' })
      .default('http://localhost:3001'),
    AD_ENGINE_API_KEY: z.string().optional(),
    DELIVERY_LOG_RETENTION: duration('90d').default(90 * 86_400_000),
    // Encrypts webhook signing secrets at rest; the previous key is still read while the
    // secrets it sealed are re-sealed with the current one (see SecretResealer).
    WEBHOOK_SECRETS_KEY: secretsKey.optional(),
    WEBHOOK_SECRETS_KEY_PREVIOUS: secretsKey.optional(),
    // Attempts in flight to one endpoint at most (CONTRACT.md section 9).
    WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce
      .number({ error: 'expected a whole number from 1 to 128' })
      .int({ error: 'expected a whole number from 1 to 128' })
      .min(1, { error: 'expected a whole number from 1 to 128' })
      .max(128, { error: 'expected a whole number from 1 to 128' })
      .default(16),
  })
  // The built-in development key would leave production secrets readable to anyone with the code.
  .refine((config) => config.NODE_ENV !== 'production' || config.WEBHOOK_SECRETS_KEY !== undefined, {
    path: ['WEBHOOK_SECRETS_KEY'],
    error: `required when NODE_ENV=production (${SECRETS_KEY_EXPECTED})`,
  })
  // Plain http:// targets are refused in production unless explicitly allowed.
  .transform((config) => ({
    ...config,
    WEBHOOK_ALLOW_HTTP: config.WEBHOOK_ALLOW_HTTP ?? config.NODE_ENV !== 'production',
  }));

export type NotificationsConfig = z.output<typeof notificationsEnvSchema> & PlatformConfig;
