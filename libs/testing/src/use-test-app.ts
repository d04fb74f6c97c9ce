import type { AppDefinition } from '@app/bootstrap';
import type { PlatformConfig } from '@app/config';
import { ApiClient } from './api-client';
import { RunningTestApp, startTestApp } from './test-app';
import { createTestEnvironment, TestEnvironment } from './test-environment';

export interface TestAppFixture {
  readonly environment: TestEnvironment;
  readonly app: RunningTestApp;
  /** A client for the app, sending `apiKey` when one was given. */
  readonly api: ApiClient;
}

/**
 * The usual set-up of an integration test file: a fresh database and vhost, the app booted on
 * them before the tests, closed and dropped after. Call it inside a `describe`.
 */
export function useTestApp<C extends PlatformConfig>(
  definition: AppDefinition<C>,
  overrides: Record<string, string> = {},
  apiKey?: string,
): TestAppFixture {
  let environment: TestEnvironment | undefined;
  let app: RunningTestApp | undefined;
  let api: ApiClient | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(definition, environment, overrides);
    api = new ApiClient(app.url, apiKey);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useTestApp: ${name} is only available inside tests`);
    return value;
  };
  return {
    get environment() {
      return ready(environment, 'environment');
    },
    get app() {
      return ready(app, 'app');
    },
    get api() {
      return ready(api, 'api');
    },
  };
}
