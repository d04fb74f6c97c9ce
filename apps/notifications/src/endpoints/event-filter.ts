import { EventEnvelope, topicMatches } from '@app/contracts';
import type { TargetColumns } from './endpoint.view';

/** Whether an endpoint subscribed with `eventTypes` (null: everything) wants events of `type`. */
export function wantsEvent(eventTypes: string[] | null, type: string): boolean {
  return eventTypes === null || eventTypes.some((pattern) => topicMatches(pattern, type));
}

/** Whether a webhook or subscription wants this event: its event types and its content filter match. */
export function targetWants(target: Pick<TargetColumns, 'event_types' | 'filter'>, event: EventEnvelope): boolean {
  return wantsEvent(target.event_types, event.type);
}
