import { baseEnvSchema, duration, PlatformConfig, portSchema } from '@app/config';
import { z } from 'zod';

const DAY_MS = 86_400_000;

export const transactionsEnvSchema = baseEnvSchema.extend({
  PORT: portSchema(3000),
  // Idempotency keys (and the answers they replay) are kept this long; the contract promises 24 h.
  IDEMPOTENCY_KEY_RETENTION: duration('7d')
    .refine((ms) => ms >= DAY_MS, { error: 'expected at least 24h (keys are kept at least 24 hours)' })
    .default(7 * DAY_MS),
});

export type TransactionsConfig = z.output<typeof transactionsEnvSchema> & PlatformConfig;
