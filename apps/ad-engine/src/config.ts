import { baseEnvSchema, PlatformConfig, portSchema } from '@app/config';
import { z } from 'zod';

export const adEngineEnvSchema = baseEnvSchema.extend({
  PORT: portSchema(3001),
  // Where a late-starting engine catches up from (GET /events), and the key it sends there
  // (defaults to the first of API_KEYS, as a stack usually shares its keys).
  TRANSACTIONS_URL: z
    .url({ error: 'expected the transactions service URL, e.g. http://transactions:3000' })
    .default('http://localhost:3000'),
  TRANSACTIONS_API_KEY: z.string().optional(),
});

export type AdEngineConfig = z.output<typeof adEngineEnvSchema> & PlatformConfig;
