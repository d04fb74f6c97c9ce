import { z } from 'zod';
import { ConfigError } from './config-error';
import { baseEnvSchema } from './env-schema';

export type PlatformConfig = z.output<typeof baseEnvSchema> & { PORT: number };

type EnvSchema = z.ZodType<object, Record<string, unknown>>;

/**
 * Parses and validates the environment once, at boot. Throws a {@link ConfigError} for the first
 * bad variable so the process can exit with one readable line instead of a stack trace.
 */
export function loadConfig<C extends PlatformConfig>(
  schema: z.ZodType<C, Record<string, unknown>> | EnvSchema,
  env: Record<string, string | undefined> = process.env,
): C {
  // An empty variable means "not set": docker-compose and .env files write `FOO=` for unset values.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue.path.join('.') || 'environment';
    throw new ConfigError(variable, issue.message);
  }
  const config = result.data as C;
  if (config.NODE_ENV === 'production' && config.API_KEYS.length === 0) {
    throw new ConfigError('API_KEYS', 'required when NODE_ENV=production (comma-separated bearer keys)');
  }
  return config;
}
