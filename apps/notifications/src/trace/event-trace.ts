import type { EventEnvelope } from '@app/contracts';
import type { EventRecordView } from '@app/messaging';
import type { DeliveryStatus } from '../deliveries/delivery.view';
import type { EventTraceView, TracedApp } from './event-trace.view';

/** One app's answer: what it kept of the event (undefined: nothing), or that it could not be asked. */
export type AppRecord = { app: TracedApp; record: EventRecordView | undefined } | { app: TracedApp; unreachable: true };

/** One delivery of the event from notifications' delivery log, with its attempts oldest first. */
export interface DeliveryTrail {
  endpointId: string;
  kind: 'webhook' | 'queue';
  status: DeliveryStatus;
  attempts: { at: Date; statusCode: number | null; durationMs: number; error: string | null }[];
}

export interface TraceParts {
  id: string;
  records: AppRecord[];
  /** Notifications' own copy of the envelope (its archive, or a delivery's). */
  received: EventEnvelope | undefined;
  deliveries: DeliveryTrail[];
}

/**
 * Puts together where one event has been from what each app kept. Answers undefined when no
 * app that answered has any trace of it.
 *
 * committedAt and publishedAt come from the one outbox that holds the event (its producer's);
 * both are null once that row is pruned (EVENT_RETENTION) or while the producer cannot be
 * asked, even though the envelope may still be known from notifications' copy: a time is never
 * guessed from another hop. publishedAt alone is null while the event waits in the outbox.
 */
export function assembleTrace({ id, records, received, deliveries }: TraceParts): EventTraceView | undefined {
  const answered = records.flatMap((entry) => ('record' in entry && entry.record ? [entry] : []));
  const outbox = answered.find((entry) => entry.record?.outbox)?.record?.outbox ?? null;
  const consumers = answered
    .flatMap(({ app, record }) =>
      (record?.inbox ?? []).map((entry) => ({
        app,
        queue: entry.consumer,
        at: entry.appliedAt,
        outcome: 'applied' as const,
      })),
    )
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.at.localeCompare(b.at));
  const envelope = outbox?.envelope ?? received;
  if (!envelope && consumers.length === 0 && deliveries.length === 0) return undefined;
  return {
    id,
    type: envelope?.type ?? null,
    source: envelope?.source ?? null,
    committedAt: outbox?.committedAt ?? null,
    publishedAt: outbox?.publishedAt ?? null,
    consumers,
    deliveries: deliveries
      .filter((delivery) => delivery.kind === 'webhook')
      .map((delivery) => ({
        webhookId: delivery.endpointId,
        status: delivery.status,
        attempts: delivery.attempts.map(({ at, statusCode, durationMs }) => ({
          at: at.toISOString(),
          statusCode,
          durationMs,
        })),
      })),
    subscriptions: deliveries
      .filter((delivery) => delivery.kind === 'queue')
      .map((delivery) => ({
        id: delivery.endpointId,
        // A forward has no status code: it succeeded when the broker confirmed it, without error
        // (DeliveryDispatcher.record).
        forwardedAt: delivery.attempts.find((attempt) => attempt.error === null)?.at.toISOString() ?? null,
      })),
    incomplete: records.flatMap((entry) => ('unreachable' in entry ? [entry.app] : [])),
  };
}
