import { baseEnvSchema, PlatformConfig, portSchema } from '@app/config';
import { z } from 'zod';

export const adEngineEnvSchema = baseEnvSchema.extend({ PORT: portSchema(3001) });

export type AdEngineConfig = z.output<typeof adEngineEnvSchema> & PlatformConfig;
