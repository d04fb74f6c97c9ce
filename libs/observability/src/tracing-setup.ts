import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type * as OtlpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as TraceSdk from '@opentelemetry/sdk-trace-base';
import { initSentry } from './sentry';

/**
 * How spans are handled in this process:
 * - `off`: no SDK. The trace context still travels (HTTP -> outbox -> message -> consumer, and
 *   into logs) through OpenTelemetry's no-op tracer, whose spans only carry their parent's ids.
 * - `otlp`: our own SDK, exporting every sampled span to `OTEL_EXPORTER_OTLP_ENDPOINT`.
 * - `sentry`: Sentry's SDK (which is OpenTelemetry) records spans, for Sentry only.
 * - `sentry+otlp`: Sentry's SDK, with our OTLP exporter added to its span processors.
 */
export type TracingMode = 'off' | 'otlp' | 'sentry' | 'sentry+otlp';

let mode: TracingMode = 'off';
let contextManagerSet = false;
/** Our exporter's processors, whatever SDK they joined: flushed when the app stops. */
let exporting: TraceSdk.SpanProcessor[] = [];

/**
 * Where spans are exported (OTLP over HTTP, JSON), from the standard variables: the traces
 * endpoint as given, or the base endpoint with `/v1/traces`. Undefined (nothing exported) when
 * neither is set or OTEL_SDK_DISABLED is true.
 */
export function otlpTracesUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (tracesEndpoint) return tracesEndpoint;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/**
 * Sets up Sentry and OpenTelemetry together, once, before anything else is imported (both
 * instrument modules as they load): the apps' instrument.ts calls this. The two never fight
 * because there is only ever one SDK: with SENTRY_DSN it is Sentry's, and our exporter joins its
 * span processors (Sentry's sampler then decides for both: SENTRY_TRACES_SAMPLE_RATE); without
 * one it is ours, loaded only when there is somewhere to export to, so an app with neither pays
 * for no SDK at all.
 */
export function initTracing(appName: string, env: NodeJS.ProcessEnv = process.env): TracingMode {
  const url = otlpTracesUrl(env);
  const processors = url ? [otlpSpanProcessor(url)] : [];
  exporting = processors;
  // Sentry's SDK names the service from OTEL_SERVICE_NAME alone (else "node"): in Jaeger the
  // three apps would be one service.
  if (url && !env.OTEL_SERVICE_NAME?.trim()) process.env.OTEL_SERVICE_NAME = appName;
  if (initSentry(appName, env, processors)) {
    // Sentry registered its own context manager (AsyncLocalStorage too) and tracer provider.
    contextManagerSet = true;
    mode = url ? 'sentry+otlp' : 'sentry';
    return mode;
  }
  useTraceContext();
  if (url) {
    registerTracerProvider(appName, processors, env);
    mode = 'otlp';
  }
  return mode;
}

/**
 * Sends the spans still waiting in the exporter's batch: called as the app stops, so the last
 * requests' spans are not lost. Bounded: an unreachable collector must not hold up the exit.
 */
export async function flushTracing(timeoutMs = 2_000): Promise<void> {
  if (exporting.length === 0) return;
  await Promise.race([
    Promise.allSettled(exporting.map((processor) => processor.forceFlush())),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}

/** Whether spans are recorded at all: when not, hooks skip the work of describing them. */
export const spansRecorded = (): boolean => mode !== 'off';

/**
 * Makes the active trace follow async work (AsyncLocalStorage), unless Sentry or an earlier
 * call did. Also called by createApp, so apps started in-process (tests) carry traces as well.
 */
export function useTraceContext(): void {
  if (contextManagerSet) return;
  // false when another manager is registered already: that one carries the context then.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

function otlpSpanProcessor(url: string): TraceSdk.SpanProcessor {
  // Loaded only when exporting: the SDK and exporter are memory an app without them never needs.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof TraceSdk;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpExporter;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Batches and the delay between exports follow the standard OTEL_BSP_* variables.
  return new BatchSpanProcessor(new OTLPTraceExporter({ url }));
}

function registerTracerProvider(appName: string, processors: TraceSdk.SpanProcessor[], env: NodeJS.ProcessEnv): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base') as typeof TraceSdk;
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof Resources;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new BasicTracerProvider({
    // The sampler follows OTEL_TRACES_SAMPLER (default: parent-based, always on).
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME?.trim() || appName,
      ...(env.APP_VERSION ? { 'service.version': env.APP_VERSION } : {}),
    }),
    spanProcessors: processors,
  });
  trace.setGlobalTracerProvider(provider);
}
