import { randomUUID } from 'node:crypto';
import { CloudEvent, ValidationError } from 'cloudevents';

/** `source` of each producer's events (CONTRACT.md section 5). */
export const EVENT_SOURCES = {
  transactions: '/transactions',
  adEngine: '/ad-engine',
  notifications: '/notifications',
} as const;

export type EventSource = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

/** A CloudEvents 1.0 structured-mode envelope, as it travels on RabbitMQ and in webhooks. */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
  /** CloudEvents sequence extension: publish order as a decimal string, set by the relay. */
  sequence?: string;
  /** CloudEvents distributed-tracing extension (W3C traceparent), when a trace was active. */
  traceparent?: string;
  [extension: string]: unknown;
}

export interface NewEvent<T> {
  source: string;
  type: string;
  subject: string;
  data: T;
  id?: string;
  time?: Date;
  extensions?: Record<string, string>;
}

export class InvalidEnvelopeError extends Error {
  override readonly name = 'InvalidEnvelopeError';
}

/** Builds a validated envelope; the id is a fresh UUID unless one is given. */
export function buildEnvelope<T>(event: NewEvent<T>): EventEnvelope<T> {
  const envelope = {
    specversion: '1.0' as const,
    id: event.id ?? randomUUID(),
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: (event.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json' as const,
    data: event.data,
    ...event.extensions,
  };
  validateWithSdk(envelope);
  return envelope;
}

/**
 * Checks that a message body is a CloudEvents 1.0 structured JSON envelope this platform can
 * route: it must carry an id and a type (the routing key) and JSON data. Throws
 * {@link InvalidEnvelopeError} with a reason fit for a dead-letter header.
 */
export function parseEnvelope(body: Buffer | string): EventEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    throw new InvalidEnvelopeError('body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEnvelopeError('body is not a JSON object');
  }
  const candidate = value as Record<string, unknown>;
  if (candidate.specversion !== '1.0') {
    throw new InvalidEnvelopeError('specversion must be "1.0"');
  }
  // The SDK would invent a missing id; an event without one cannot be deduplicated.
  for (const attribute of ['id', 'source', 'type'] as const) {
    if (typeof candidate[attribute] !== 'string' || candidate[attribute] === '') {
      throw new InvalidEnvelopeError(`${attribute} must be a non-empty string`);
    }
  }
  validateWithSdk(candidate);
  const contentType = candidate.datacontenttype;
  if (contentType !== undefined && !(typeof contentType === 'string' && contentType.includes('json'))) {
    throw new InvalidEnvelopeError(`datacontenttype ${JSON.stringify(contentType)} is not JSON`);
  }
  return candidate as EventEnvelope;
}

function validateWithSdk(candidate: Record<string, unknown>): void {
  try {
    new CloudEvent(candidate, true);
  } catch (error) {
    const detail = error instanceof ValidationError ? formatValidation(error) : (error as Error).message;
    throw new InvalidEnvelopeError(`not a valid CloudEvent: ${detail}`);
  }
}

function formatValidation(error: ValidationError): string {
  const errors = (error.errors ?? []) as unknown[];
  const details = errors
    .map((e) => (typeof e === 'string' ? e : ((e as { message?: string }).message ?? JSON.stringify(e))))
    .filter(Boolean);
  return details.length ? details.join('; ') : error.message;
}
