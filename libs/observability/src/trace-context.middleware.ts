import { childOf, runInTrace } from './trace-context';
import type { NextFunction, Request, Response } from 'express';

/** Continues the caller's W3C trace for the rest of the request (logs, events it publishes). */
export function traceContextMiddleware(request: Request, _response: Response, next: NextFunction): void {
  runInTrace(childOf(request.headers.traceparent), next);
}
