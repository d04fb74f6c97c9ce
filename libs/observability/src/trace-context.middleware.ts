import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { platformTracer } from './spans';
import { childOf, runInTrace } from './trace-context';
import { spansRecorded } from './tracing-setup';

/**
 * The request's server span, continuing the caller's W3C trace (`traceparent`), active for the
 * rest of the request: its logs and the events it writes carry the trace. With spans off only
 * the caller's trace context is made active (when there is one).
 */
export function traceContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const caller = childOf(request.headers.traceparent);
  if (!spansRecorded()) {
    runInTrace(caller, next);
    return;
  }
  const active = context.active();
  // With Sentry on, its HTTP instrumentation has made the server span already, continuing the
  // caller's `traceparent` (sentry-w3c-propagation.ts), and runs the request in its context.
  if (trace.getSpan(active)) {
    next();
    return;
  }
  const callerSpan = caller && trace.getSpanContext(caller);
  const parent = callerSpan ? trace.setSpanContext(active, callerSpan) : active;
  const span = platformTracer.startSpan(
    request.method,
    {
      kind: SpanKind.SERVER,
      // The path without its query string, which may carry credentials (`?api_key=`).
      attributes: { 'http.request.method': request.method, 'url.path': request.path, 'url.scheme': request.protocol },
    },
    parent,
  );
  response.once('close', () => {
    // Known once routing is done: `/transactions/:id` names the span, not every id.
    const route = (request.route as { path?: unknown } | undefined)?.path;
    if (typeof route === 'string') {
      span.updateName(`${request.method} ${request.baseUrl}${route}`);
      span.setAttribute('http.route', `${request.baseUrl}${route}`);
    }
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
