import { compileEventPattern, EventEnvelope, EventMatcher, topicMatches } from '@app/contracts';
import type { TargetColumns } from './endpoint.view';

/** Whether an endpoint subscribed with `eventTypes` (null: everything) wants events of `type`. */
export function wantsEvent(eventTypes: string[] | null, type: string): boolean {
  return eventTypes === null || eventTypes.some((pattern) => topicMatches(pattern, type));
}

/**
 * A webhook's or subscription's filters, compiled once: its topic patterns on the event type
 * (answered once per type, of which there are few) and its content filter (CONTRACT.md section 8).
 */
export class TargetFilter {
  private readonly eventTypes: string[] | null;
  private readonly byType = new Map<string, boolean>();
  private readonly content: EventMatcher | undefined;

  constructor(target: Pick<TargetColumns, 'event_types' | 'filter'>) {
    this.eventTypes = target.event_types;
    this.content = target.filter === null ? undefined : compiledOrNothing(target.filter);
  }

  wants(event: EventEnvelope): boolean {
    let typeWanted = this.byType.get(event.type);
    if (typeWanted === undefined) {
      typeWanted = wantsEvent(this.eventTypes, event.type);
      this.byType.set(event.type, typeWanted);
    }
    return typeWanted && (this.content === undefined || this.content(event));
  }
}

/**
 * Patterns are validated before they are stored; one that is not valid anyway (written straight
 * into the table) matches nothing rather than stopping the fan-out for every other target.
 */
function compiledOrNothing(filter: object): EventMatcher {
  try {
    return compileEventPattern(filter);
  } catch {
    return () => false;
  }
}

/**
 * The compiled filters of the enabled targets, kept across fan-out batches and compiled again only
 * when a target changed (its `updated_at` moved); those no longer enabled are forgotten.
 */
export class TargetFilters {
  private readonly compiled = new Map<string, { updatedAt: number; filter: TargetFilter }>();

  /** The filters of exactly these targets, by id. */
  of(targets: Pick<TargetColumns, 'id' | 'event_types' | 'filter' | 'updated_at'>[]): Map<string, TargetFilter> {
    const current = new Map<string, TargetFilter>();
    for (const target of targets) {
      const updatedAt = target.updated_at.getTime();
      let entry = this.compiled.get(target.id);
      if (entry?.updatedAt !== updatedAt) {
        entry = { updatedAt, filter: new TargetFilter(target) };
        this.compiled.set(target.id, entry);
      }
      current.set(target.id, entry.filter);
    }
    for (const id of this.compiled.keys()) if (!current.has(id)) this.compiled.delete(id);
    return current;
  }
}
