import { context, type Context, isSpanContextValid, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * An OpenTelemetry context that carries a span: the trace a request, a message or a batched
 * piece of work belongs to. Spans started in it are its children.
 */
export type TraceContext = Context;

/**
 * W3C Trace Context, used explicitly rather than through the global propagator: with Sentry on,
 * the global one is Sentry's, which reads only `sentry-trace`, and our hops speak `traceparent`.
 */
const w3c = new W3CTraceContextPropagator();

const headerGetter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get: (carrier: Record<string, unknown>, key: string) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

const headerSetter = {
  set: (carrier: Record<string, string>, key: string, value: string) => {
    carrier[key] = value;
  },
};

/**
 * The context that continues the caller's W3C trace (`traceparent` of an HTTP request, a
 * message or an event): spans started in it are children of the caller's. Undefined when there
 * is no valid trace to continue; invalid and all-zero ids are ignored, as the spec requires.
 */
export function childOf(traceparent: unknown): TraceContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const extracted = w3c.extract(ROOT_CONTEXT, { traceparent: traceparent.trim().toLowerCase() }, headerGetter);
  return hasTrace(extracted) ? extracted : undefined;
}

/**
 * Runs `work` inside the trace context, or outside any when there is none: never in whatever
 * trace happens to be active (work batched from several messages must not borrow the first one's).
 * Only the span is dropped then, so what else the context holds (Sentry's scopes) stays.
 */
export function runInTrace<T>(within: TraceContext | undefined, work: () => T): T {
  return context.with(within ?? trace.deleteSpan(context.active()), work);
}

/** The trace active for the current request or message, if any. */
export function currentTrace(): TraceContext | undefined {
  const active = context.active();
  return hasTrace(active) ? active : undefined;
}

/** The W3C `traceparent` of the active span (what an event written now stores), if any. */
export function currentTraceparent(): string | undefined {
  return traceparentOf(context.active());
}

/** The W3C `traceparent` of the span a context carries, if any. */
export function traceparentOf(ofContext: TraceContext): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ofContext, carrier, headerSetter);
  return carrier.traceparent;
}

/** The trace id of the active span, as logs carry it. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

function hasTrace(ofContext: Context): boolean {
  const spanContext = trace.getSpanContext(ofContext);
  return spanContext !== undefined && isSpanContextValid(spanContext);
}
