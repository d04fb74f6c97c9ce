import { z } from 'zod';
import { parseDuration } from './duration';

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
  EVENT_RETENTION: duration('365d').optional(),
  // How long boot waits for PostgreSQL and RabbitMQ before giving up with one clear line.
  STARTUP_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int({ error: 'expected milliseconds' })
    .positive({ error: 'expected milliseconds' })
    .default(15_000),
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
