import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryDispatcher } from './delivery-dispatcher';
import type { TargetColumns } from '../endpoints/endpoint.view';
import { TargetFilter } from '../endpoints/event-filter';
import { EventArchiveRepository } from '../archive/event-archive.repository';

/** Archived events read per query by a replay. */
const REPLAY_PAGE = 1_000;

/**
 * Re-sends archived events to one webhook or subscription (CONTRACT.md sections 7 and 8): every
 * event in the time window that its filters match, with its original id, as deliveries marked
 * `replay` (sent with `webhook-replay: true` or `x-replay: true`). They come due in publish order
 * and claims take live deliveries first, so a replay, however large, never starves live traffic.
 */
@Injectable()
export class ArchiveReplay {
  constructor(
    private readonly archive: EventArchiveRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  /** Answers how many events it re-sends. The archive is read a page at a time (it holds up to EVENT_RETENTION). */
  async replay(
    target: Pick<TargetColumns, 'id' | 'event_types' | 'filter' | 'ordering'>,
    window: { since: string; until?: string },
  ): Promise<number> {
    const filter = new TargetFilter(target);
    let replayed = 0;
    let after: { occurredAt: string; eventId: string } | undefined;
    do {
      const page = await this.archive.page(window, REPLAY_PAGE, after);
      const events = page.events.filter((event) => filter.wants(event));
      await this.deliveries.insertFor(
        undefined,
        events.map((event) => ({ endpointId: target.id, ordering: target.ordering, event })),
        { replay: true },
      );
      replayed += events.length;
      after = page.next;
      if (events.length > 0) this.dispatcher.wake();
    } while (after);
    return replayed;
  }
}
