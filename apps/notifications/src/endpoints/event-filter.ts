import { topicMatches } from '@app/contracts';

/** Whether an endpoint subscribed with `eventTypes` (null: everything) wants events of `type`. */
export function wantsEvent(eventTypes: string[] | null, type: string): boolean {
  return eventTypes === null || eventTypes.some((pattern) => topicMatches(pattern, type));
}
