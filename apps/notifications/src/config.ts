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
    DELIVERY_LOG_RETENTION: duration('90d').default(90 * 86_400_000),
  })
  // Plain http:// targets are refused in production unless explicitly allowed.
  .transform((config) => ({
    ...config,
    WEBHOOK_ALLOW_HTTP: config.WEBHOOK_ALLOW_HTTP ?? config.NODE_ENV !== 'production',
  }));

export type NotificationsConfig = z.output<typeof notificationsEnvSchema> & PlatformConfig;
