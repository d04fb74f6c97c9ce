import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  /** W3C traceparent of the current span: the caller's trace id with a span id of our own. */
  traceparent: string;
  traceId: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

/**
 * Continues the caller's W3C trace (`traceparent` of an HTTP request or a message) as a child
 * span; undefined when there is no valid trace to continue. Invalid and all-zero ids are ignored,
 * as the W3C Trace Context spec requires.
 */
export function childOf(traceparent: unknown): TraceContext | undefined {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return { traceId: match[1], traceparent: `00-${match[1]}-${randomBytes(8).toString('hex')}-${match[3]}` };
}

/**
 * Runs `work` inside the trace context, or outside any when there is none: never in whatever
 * trace happens to be active (work batched from several messages must not borrow the first one's).
 */
export function runInTrace<T>(context: TraceContext | undefined, work: () => T): T {
  return context ? storage.run(context, work) : storage.exit(work);
}

/** The trace active for the current request or message, if any. */
export const currentTrace = (): TraceContext | undefined => storage.getStore();
