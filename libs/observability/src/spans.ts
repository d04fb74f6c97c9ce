import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { childOf, type TraceContext } from './trace-context';
import { spansRecorded } from './tracing-setup';

/** Every span of the platform comes from this tracer; `service.name` says which app made it. */
export const platformTracer = trace.getTracer('transaction-events-platform');

/**
 * Runs `work` in a new span, child of `parent` (or the root of a new trace when there is none),
 * and ends it when the work settles; an exception marks it failed and is rethrown.
 */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes; parent: TraceContext | undefined },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  // Only the span is dropped for a root: what else the context holds (Sentry's scopes) stays.
  const parent = options.parent ?? trace.deleteSpan(context.active());
  const span = platformTracer.startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
}

/** An event on RabbitMQ, as its spans describe it (OpenTelemetry's messaging conventions). */
export interface TracedMessage {
  /** The exchange it is published to, or the queue it is sent to directly. */
  destination: string;
  routingKey?: string;
  eventId?: string;
  eventType?: string;
  /** The trace the message carries (its `traceparent` header, or its envelope's). */
  traceparent?: unknown;
}

const messageAttributes = (message: TracedMessage, operation: 'send' | 'process'): Attributes => ({
  'messaging.system': 'rabbitmq',
  'messaging.operation.type': operation,
  'messaging.operation.name': operation,
  'messaging.destination.name': message.destination,
  ...(message.routingKey !== undefined ? { 'messaging.rabbitmq.destination.routing_key': message.routingKey } : {}),
  ...(message.eventId !== undefined
    ? { 'messaging.message.id': message.eventId, 'cloudevents.event_id': message.eventId }
    : {}),
  ...(message.eventType !== undefined ? { 'cloudevents.event_type': message.eventType } : {}),
});

/**
 * A consumer handling one message: a consumer span, child of the trace the message carries, and
 * active while `work` runs, so the events the handler writes and its logs continue that trace.
 * Runs even with spans off: then only the message's trace context is made active.
 */
export function inConsumerSpan<T>(queue: string, message: TracedMessage, work: () => Promise<T>): Promise<T> {
  const attributes = spansRecorded()
    ? { ...messageAttributes(message, 'process'), 'messaging.destination.subscription.name': queue }
    : undefined;
  return inSpan(
    `process ${queue}`,
    { kind: SpanKind.CONSUMER, attributes, parent: childOf(message.traceparent) },
    work,
  );
}

/**
 * Publishing one event: a producer span, child of the trace stored with the event (the outbox
 * row's, from the request or message that wrote it). The message header keeps that stored
 * context, as the CloudEvents tracing extension defines it, so consumers are its children too.
 * With spans off this is `work()` alone.
 */
export function inProducerSpan<T>(message: TracedMessage, work: () => Promise<T>): Promise<T> {
  if (!spansRecorded()) return work();
  return inSpan(
    `send ${message.destination}`,
    { kind: SpanKind.PRODUCER, attributes: messageAttributes(message, 'send'), parent: childOf(message.traceparent) },
    work,
  );
}

/** What an outgoing attempt answered, as its span records it. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
}

/** One attempt to deliver an event out of the platform: a webhook POST or a forward to a queue. */
export interface TracedAttempt {
  /** `webhook` is an HTTP client span; `forward` a producer span to the subscription's queue. */
  kind: 'webhook' | 'forward';
  /** The endpoint or subscription id. */
  targetId: string;
  eventId?: string;
  /** The trace of the event delivered: asked only when spans are recorded (it may parse JSON). */
  traceparent: () => unknown;
}

/**
 * A delivery attempt in a span of its own, child of the event's trace, with its outcome. Nothing
 * of the span is propagated: webhooks carry no tracing headers (CONTRACT.md section 9).
 */
export function inAttemptSpan<T extends AttemptOutcome>(attempt: TracedAttempt, work: () => Promise<T>): Promise<T> {
  if (!spansRecorded()) return work();
  const webhook = attempt.kind === 'webhook';
  const target: Attributes = webhook
    ? { 'webhook.endpoint.id': attempt.targetId }
    : { 'subscription.id': attempt.targetId, 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send' };
  const attributes: Attributes = {
    ...target,
    ...(attempt.eventId !== undefined ? { 'cloudevents.event_id': attempt.eventId } : {}),
  };
  return inSpan(
    webhook ? 'POST webhook' : 'send subscription',
    { kind: webhook ? SpanKind.CLIENT : SpanKind.PRODUCER, attributes, parent: childOf(attempt.traceparent()) },
    async (span) => {
      // Set once started, not given to the sampler: Sentry's drops an HTTP client span whose
      // parent is remote (the event's stored trace), and this one is meant to be kept.
      if (webhook) span.setAttribute('http.request.method', 'POST');
      const outcome = await work();
      if (outcome.statusCode !== null) span.setAttribute('http.response.status_code', outcome.statusCode);
      if (outcome.error !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
      return outcome;
    },
  );
}
