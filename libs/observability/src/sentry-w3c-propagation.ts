import {
  type Context,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type * as SentryOtel from '@sentry/opentelemetry';

/**
 * Sentry's propagator reads only `sentry-trace` and `baggage`, so with Sentry on, its HTTP server
 * span (in whose context the whole request then runs) would start a trace of its own and the
 * caller's W3C `traceparent` would be lost. This one reads `traceparent` first, then lets
 * Sentry's read its own headers over it. What is injected stays Sentry's alone, still limited by
 * `tracePropagationTargets` (none: webhooks carry no tracing header).
 *
 * The caller's sampled flag is not taken over: whether Sentry records the request stays Sentry's
 * decision (SENTRY_TRACES_SAMPLE_RATE), not any caller's.
 */
class W3cThenSentryPropagator implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();

  constructor(private readonly sentry: TextMapPropagator) {}

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const withCaller = this.w3c.extract(context, carrier, getter);
    const caller = trace.getSpanContext(withCaller);
    const unsampled = caller ? trace.setSpanContext(withCaller, { ...caller, traceFlags: TraceFlags.NONE }) : context;
    return this.sentry.extract(unsampled, carrier, getter);
  }

  inject(context: Context, carrier: unknown, setter: Parameters<TextMapPropagator['inject']>[2]): void {
    this.sentry.inject(context, carrier, setter);
  }

  fields(): string[] {
    return [...new Set([...this.w3c.fields(), ...this.sentry.fields()])];
  }
}

/** Replaces the global propagator Sentry.init set (Sentry's) with one that also reads `traceparent`. */
export function continueW3cTracesUnderSentry(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SentryPropagator } = require('@sentry/opentelemetry') as typeof SentryOtel;
  propagation.disable();
  propagation.setGlobalPropagator(new W3cThenSentryPropagator(new SentryPropagator()));
}
