import { AppDefinition, createApp } from '@app/bootstrap';
import { loadConfig, PlatformConfig } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { TestEnvironment } from './test-environment';

export interface RunningTestApp {
  app: INestApplication;
  /** Base URL of the listening HTTP server, e.g. http://127.0.0.1:43121 */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots an app exactly as `main.ts` does (same module, same config schema) against the test
 * environment's database and vhost, on a free port.
 */
export async function startTestApp<C extends PlatformConfig>(
  definition: AppDefinition<C>,
  environment: TestEnvironment,
  overrides: Record<string, string> = {},
): Promise<RunningTestApp> {
  const config = loadConfig<C>(definition.envSchema, {
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    STARTUP_TIMEOUT_MS: '5000',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...environment.env,
    ...overrides,
    PORT: '0',
  });
  const app = await createApp(definition, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
