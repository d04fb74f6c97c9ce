import { z } from 'zod';
import { parseDuration } from './duration';
import { trustedProxies } from './trusted-proxies';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanText = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'expected "true" or "false"' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

const urlWithScheme = (schemes: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a URL like ${example}` },
  );

export const duration = (example: string) =>
  z
    .string()
    .refine((value) => parseDuration(value) !== undefined, {
      error: `expected a duration like ${example} (ms, s, m, h or d)`,
    })
    .transform((value) => parseDuration(value) as number);

/** Comma-separated durations (`5s,5m,30m`) as milliseconds; an empty string means none. */
export const durationList = (example: string) =>
  z
    .string()
    .refine((value) => value.trim() === '' || value.split(',').every((step) => parseDuration(step) !== undefined), {
      error: `expected comma-separated delays like ${example} (ms, s, m, h or d)`,
    })
    .transform((value) => (value.trim() === '' ? [] : value.split(',').map((step) => parseDuration(step) as number)));

/**
 * Variables every app reads (CONTRACT.md section 2). Each app extends this with its own port and
 * its own settings; defaults make a bare local run work.
 */
export const baseEnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
    .default('development'),
  DATABASE_URL: urlWithScheme(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/database').default(
    'postgres://postgres:postgres@localhost:5432/postgres',
  ),
  RABBITMQ_URL: urlWithScheme(['amqp:', 'amqps:'], 'amqp://user:password@host:5672/vhost').default(
    'amqp://guest:guest@localhost:5672',
  ),
  API_KEYS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    ),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  SENTRY_DSN: z.url({ error: 'expected a Sentry DSN URL' }).optional(),
  DB_MIGRATIONS_RUN: booleanText(true),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'expected a whole number (0 turns rate limiting off)' })
    .int({ error: 'expected a whole number (0 turns rate limiting off)' })
    .min(0, { error: 'expected a whole number (0 turns rate limiting off)' })
    .default(0),
  TRUST_PROXY: trustedProxies(),
  EVENT_RETENTION: duration('365d').optional(),
  // Inbox entries (ids of events a consumer applied) are kept this long: redeliveries come far sooner.
  INBOX_RETENTION: duration('30d').default(30 * 86_400_000),
  // How long boot waits for PostgreSQL and RabbitMQ before giving up with one clear line.
  STARTUP_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int({ error: 'expected milliseconds' })
    .positive({ error: 'expected milliseconds' })
    .default(15_000),
  // PostgreSQL connections per app instance (HTTP requests and consumers share them).
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'expected a whole number from 1 to 200' })
    .int({ error: 'expected a whole number from 1 to 200' })
    .min(1, { error: 'expected a whole number from 1 to 200' })
    .max(200, { error: 'expected a whole number from 1 to 200' })
    .default(20),
  // Outbox relay: rows per confirmed batch, and the polling fallback behind LISTEN/NOTIFY.
  OUTBOX_BATCH_SIZE: z.coerce
    .number({ error: 'expected a whole number from 1 to 5000' })
    .int({ error: 'expected a whole number from 1 to 5000' })
    .min(1, { error: 'expected a whole number from 1 to 5000' })
    .max(5_000, { error: 'expected a whole number from 1 to 5000' })
    .default(500),
  OUTBOX_POLL_INTERVAL_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int({ error: 'expected milliseconds' })
    .positive({ error: 'expected milliseconds' })
    .default(1_000),
  // Consumers: unacked messages per queue (bounds handler concurrency), and the delays between
  // attempts of a failing handler before its message is dead-lettered.
  CONSUMER_PREFETCH: z.coerce
    .number({ error: 'expected a whole number from 1 to 1000' })
    .int({ error: 'expected a whole number from 1 to 1000' })
    .min(1, { error: 'expected a whole number from 1 to 1000' })
    .max(1_000, { error: 'expected a whole number from 1 to 1000' })
    .default(20),
  CONSUMER_RETRY_DELAYS: durationList('1s,10s,1m,5m').prefault('1s,10s,1m,5m'),
  // A consumed message larger than this is dead-lettered unread (reason too-large): one forged
  // 20 MiB event must not be archived, delivered and held in memory (CONTRACT.md section 2).
  MAX_EVENT_BYTES: z.coerce
    .number({ error: 'expected a number of bytes from 1024' })
    .int({ error: 'expected a number of bytes from 1024' })
    .min(1_024, { error: 'expected a number of bytes from 1024' })
    .default(262_144),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int({ error: 'expected milliseconds' })
    .positive({ error: 'expected milliseconds' })
    .default(10_000),
});

export const portSchema = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number (0-65535)' })
    .int({ error: 'expected a TCP port number (0-65535)' })
    .min(0, { error: 'expected a TCP port number (0-65535)' })
    .max(65_535, { error: 'expected a TCP port number (0-65535)' })
    .default(fallback);
