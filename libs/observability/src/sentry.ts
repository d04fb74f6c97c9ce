import type * as SentrySdk from '@sentry/nestjs';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { scrubBreadcrumb, scrubEvent } from './sentry-scrubbing';
import { continueW3cTracesUnderSentry } from './sentry-w3c-propagation';

let sdk: typeof SentrySdk | undefined;

/** The Sentry SDK once {@link initSentry} set it up; undefined without a DSN. */
export function initialisedSentry(): typeof SentrySdk | undefined {
  return sdk;
}

/**
 * Must run before anything else is imported (Sentry instruments modules as they load). With no
 * SENTRY_DSN the SDK is left uninitialised: nothing is sent and nothing is instrumented, and
 * `reportProblem` calls elsewhere are harmless no-ops. `spanProcessors` join the OpenTelemetry
 * SDK that Sentry sets up (the OTLP exporter, see initTracing), so there is only one.
 */
export function initSentry(
  appName: string,
  env: NodeJS.ProcessEnv = process.env,
  spanProcessors: SpanProcessor[] = [],
): boolean {
  const dsn = env.SENTRY_DSN;
  // A malformed DSN is left to config validation, which names it in its one line.
  if (!dsn || !URL.canParse(dsn)) return false;
  // Loaded only with a DSN: the SDK and the OpenTelemetry it brings hold about 20 MiB of memory
  // that an app without a DSN has no use for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sentry = require('@sentry/nestjs') as typeof SentrySdk;
  const withApp = <E extends SentrySdk.Event>(event: E): E => ({ ...event, tags: { ...event.tags, app: appName } });
  Sentry.init({
    dsn,
    environment: env.NODE_ENV ?? 'development',
    release: env.APP_VERSION,
    serverName: appName,
    initialScope: { tags: { app: appName } },
    tracesSampleRate: Number(env.SENTRY_TRACES_SAMPLE_RATE ?? 0),
    sendDefaultPii: false,
    // No `sentry-trace` or `baggage` on any outgoing request (undefined would mean every one):
    // webhooks carry only the contract's headers, and the Sentry public key in `baggage` is ours
    // to keep. Our own services follow a request by W3C `traceparent` (trace-context.ts) instead,
    // and never put it on a webhook either.
    // This option is the guard: wrapping a request in Sentry.suppressTracing did not keep the
    // headers off undici requests (10.75.3); apps/notifications/test/webhook-headers.int-spec.ts.
    tracePropagationTargets: [],
    // Not attached at all rather than scrubbed afterwards: request bodies never leave the process.
    integrations: [Sentry.httpIntegration({ maxIncomingRequestBodySize: 'none' })],
    ...(spanProcessors.length > 0 ? { openTelemetrySpanProcessors: spanProcessors } : {}),
    beforeSend: (event) => scrubEvent(withApp(event)),
    beforeSendTransaction: (event) => scrubEvent(withApp(event)),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });
  continueW3cTracesUnderSentry();
  sdk = Sentry;
  return true;
}
