import type { EventEnvelope } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { MessagingMetrics } from '../messaging.metrics';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '../messaging.options';

/**
 * Makes a consumer idempotent by event id: the id is recorded in the inbox in the same
 * transaction as the handler's effects, so a redelivered event (at-least-once delivery) finds
 * its id there and is skipped, and a handler that fails leaves no trace to skip on retry.
 * Two concurrent deliveries of one event serialise on the inbox's primary key.
 */
@Injectable()
export class Inbox {
  private readonly table: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly metrics: MessagingMetrics,
  ) {
    this.table = `"${options.schema}".inbox`;
  }

  /**
   * The inbox as a part of the caller's own statement, for a consumer whose effects are one SQL
   * statement: a CTE named `fresh_events` that records the event ids in the `text[]` parameter
   * `ids` (e.g. `'$1'`) for the consumer in the `text` parameter `consumer`, and yields (column
   * `event_id`) those not applied before, once each. Joining the effects on it makes the batch
   * idempotent by event id in one statement and one round trip, atomic on its own or inside a
   * transaction. Report what it skipped with {@link countDuplicates}.
   *
   * Example: `WITH ${inbox.freshEventsCte('$1', '$2')} INSERT INTO effects SELECT ... FROM
   * incoming JOIN fresh_events f ON f.event_id = incoming.id`.
   */
  freshEventsCte(consumer: string, ids: string): string {
    return `fresh_events AS (
      INSERT INTO ${this.table} (consumer, event_id) SELECT ${consumer}::text, unnest(${ids}::text[])
      ON CONFLICT DO NOTHING RETURNING event_id)`;
  }

  /** Counts deliveries a {@link freshEventsCte} statement skipped as applied before. */
  countDuplicates(consumer: string, duplicates: number): void {
    if (duplicates > 0) this.metrics.duplicates.inc({ consumer }, duplicates);
  }

  /**
   * Runs `apply` in a transaction unless `consumer` has already applied `event`.
   * Returns false for a duplicate.
   */
  async processOnce(
    consumer: string,
    event: Pick<EventEnvelope, 'id'>,
    apply: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const applied = await this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${this.table} (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [consumer, event.id],
      );
      if (inserted.length === 0) return false;
      await apply(manager);
      return true;
    });
    if (!applied) this.metrics.duplicates.inc({ consumer });
    return applied;
  }

  /**
   * `processOnce` for many events in one transaction: one statement records every id, `apply`
   * gets the events not applied before (each once, even if it came twice in `events`). Answers,
   * per event in order, whether this call applied it. Feed it from a `WriteBatcher` to make a
   * busy consumer commit once per batch instead of once per event.
   */
  async processBatch<T extends Pick<EventEnvelope, 'id'>>(
    consumer: string,
    events: T[],
    apply: (manager: EntityManager, fresh: T[]) => Promise<void>,
  ): Promise<boolean[]> {
    const answers = await this.dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO ${this.table} (consumer, event_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, events.map((event) => event.id)],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      // Set.delete is true once per id: the first copy of each new event is applied, later copies are not.
      const applies = events.map((event) => fresh.delete(event.id));
      const toApply = events.filter((_, index) => applies[index]);
      if (toApply.length > 0) await apply(manager, toApply);
      return applies;
    });
    this.countDuplicates(consumer, answers.filter((applied) => !applied).length);
    return answers;
  }
}
