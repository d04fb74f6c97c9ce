import { baseEnvSchema, PlatformConfig, portSchema } from '@app/config';
import { z } from 'zod';

export const transactionsEnvSchema = baseEnvSchema.extend({ PORT: portSchema(3000) });

export type TransactionsConfig = z.output<typeof transactionsEnvSchema> & PlatformConfig;
