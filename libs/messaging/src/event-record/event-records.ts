import type { EventEnvelope } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '../messaging.options';
import type { EventRecordView } from './event-record.view';

/** Times to the microsecond, as PostgreSQL keeps them: a trace orders hops closer than a millisecond apart. */
const EXACT_TIME = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Reads what this app's event backbone keeps of one event: the outbox row (the app produced it)
 * and the inbox entries (its consumers applied it). Both are pruned on their own schedules
 * (EVENT_RETENTION, INBOX_RETENTION), so either may be gone while the other is still there.
 */
@Injectable()
export class EventRecords {
  private readonly schema: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.schema = `"${options.schema}"`;
  }

  /** Undefined when this app has no trace of the event. `id` must be a UUID (the outbox's key type). */
  async find(id: string): Promise<EventRecordView | undefined> {
    const [outbox, inbox] = await Promise.all([
      this.dataSource.query<
        { envelope: EventEnvelope; sequence: string | null; committed_at: string; published_at: string | null }[]
      >(
        `SELECT envelope, sequence::text AS sequence, ${EXACT_TIME('created_at')} AS committed_at,
           ${EXACT_TIME('published_at')} AS published_at
         FROM ${this.schema}.outbox WHERE id = $1::uuid`,
        [id],
      ),
      this.dataSource.query<{ consumer: string; applied_at: string }[]>(
        // The inbox's key is (consumer, event_id), and an index on event_id alone would cost
        // every consumed event a write. An app has a handful of consumers: walk them on the key
        // (one index probe each, a loose index scan), then look the event up under each.
        `WITH RECURSIVE consumers AS (
           SELECT min(consumer) AS consumer FROM ${this.schema}.inbox
           UNION ALL
           SELECT (SELECT min(i.consumer) FROM ${this.schema}.inbox i WHERE i.consumer > c.consumer)
           FROM consumers c WHERE c.consumer IS NOT NULL
         )
         SELECT i.consumer, ${EXACT_TIME('i.processed_at')} AS applied_at
         FROM consumers c JOIN ${this.schema}.inbox i ON i.consumer = c.consumer AND i.event_id = $1
         ORDER BY i.processed_at, i.consumer`,
        [id],
      ),
    ]);
    const [row] = outbox;
    if (!row && inbox.length === 0) return undefined;
    return {
      id,
      outbox: row
        ? {
            // The relay numbers an event as it publishes it and keeps the number beside the envelope;
            // GET /events shows it in the envelope, and so does this.
            envelope: row.sequence === null ? row.envelope : { ...row.envelope, sequence: row.sequence },
            committedAt: row.committed_at,
            publishedAt: row.published_at,
          }
        : null,
      inbox: inbox.map((entry) => ({ consumer: entry.consumer, appliedAt: entry.applied_at })),
    };
  }
}
