import type { EventEnvelope } from '@app/contracts';
import { decodeCursor, encodeCursor, Page, toPage } from '@app/dto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '../messaging.options';

export interface ArchiveQuery {
  type?: string;
  /** Only events whose `time` is after this instant (exclusive). */
  after?: Date;
  limit: number;
  cursor?: string;
}

/**
 * The events this app has published, oldest first in publish order, as the envelopes that went
 * to RabbitMQ with their `sequence`. Pages on `sequence`: the relay hands out sequences only as
 * it publishes, so an event that committed late lands after the reader's cursor, never behind it.
 */
@Injectable()
export class EventArchive {
  private readonly table: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.table = `"${options.schema}".outbox`;
  }

  async list(query: ArchiveQuery): Promise<Page<EventEnvelope>> {
    const from = query.cursor ? decodeCursor(query.cursor, ['sequence']).sequence : null;
    const rows = await this.dataSource.query<{ envelope: EventEnvelope; sequence: string }[]>(
      `SELECT o.envelope, o.sequence::text AS sequence FROM ${this.table} o
       WHERE o.published_at IS NOT NULL
         AND ($1::text IS NULL OR o.type = $1)
         AND ($2::timestamptz IS NULL OR o.occurred_at > $2)
         AND ($3::bigint IS NULL OR o.sequence > $3::bigint)
       ORDER BY o.sequence LIMIT $4`,
      [query.type ?? null, query.after ?? null, from, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ ...row.envelope, sequence: row.sequence }),
      (row) => encodeCursor({ sequence: row.sequence }),
    );
  }
}
