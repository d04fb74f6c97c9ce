import type { EventEnvelope } from '@app/contracts';
import { Page, PageCursors, toPage } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '../messaging.options';

export interface ArchiveQuery {
  type?: string;
  /** Only events whose `time` is after this instant (exclusive). */
  after?: Date;
  /**
   * Only events whose `sequence` is above this (exclusive): the public way for a reader that kept
   * the last sequence it applied to resume there, since cursors are opaque and signed.
   */
  afterSequence?: string;
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
    private readonly cursors: PageCursors,
  ) {
    this.table = `"${options.schema}".outbox`;
  }

  async list(query: ArchiveQuery): Promise<Page<EventEnvelope>> {
    const codec = await this.cursors.get();
    const from = query.cursor ? codec.decode(query.cursor, ['sequence']).sequence : null;
    const rows = await this.dataSource.query<{ envelope: EventEnvelope; sequence: string }[]>(
      `SELECT o.envelope, o.sequence::text AS sequence FROM ${this.table} o
       WHERE o.published_at IS NOT NULL
         AND ($1::text IS NULL OR o.type = $1)
         AND ($2::timestamptz IS NULL OR o.occurred_at > $2)
         AND ($3::bigint IS NULL OR o.sequence > $3::bigint)
         AND ($4::bigint IS NULL OR o.sequence > $4::bigint)
       ORDER BY o.sequence LIMIT $5`,
      [query.type ?? null, query.after ?? null, from, query.afterSequence ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ ...row.envelope, sequence: row.sequence }),
      (row) => codec.encode({ sequence: row.sequence }),
    );
  }
}
