import * as Sentry from '@sentry/nestjs';

/**
 * Must run before anything else is imported (Sentry instruments modules as they load). With no
 * SENTRY_DSN the SDK is left uninitialised: nothing is sent and nothing is instrumented, and
 * `captureException` calls elsewhere are harmless no-ops.
 */
export function initSentry(appName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const dsn = env.SENTRY_DSN;
  // A malformed DSN is left to config validation, which names it in its one line.
  if (!dsn || !URL.canParse(dsn)) return false;
  Sentry.init({
    dsn,
    environment: env.NODE_ENV ?? 'development',
    release: env.APP_VERSION,
    serverName: appName,
    initialScope: { tags: { app: appName } },
    tracesSampleRate: Number(env.SENTRY_TRACES_SAMPLE_RATE ?? 0),
    sendDefaultPii: false,
  });
  return true;
}
