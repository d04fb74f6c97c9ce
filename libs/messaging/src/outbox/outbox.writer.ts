import { buildEnvelope, EventEnvelope } from '@app/contracts';
import { currentTrace } from '@app/observability';
import type { PreparedStatement } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { outboxChannel } from '../backbone-tables';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '../messaging.options';
import { OutboxRelay } from './outbox.relay';

/** Set on a query runner whose transaction appended events, for {@link OutboxCommitSubscriber}. */
export const WAKE_RELAY_AFTER_COMMIT = 'wakeOutboxRelayAfterCommit';

export interface OutgoingEvent<T = unknown> {
  type: string;
  subject: string;
  data: T;
}

/** Events as outbox rows, ready to insert: see {@link OutboxWriter.rows}. */
export interface OutboxRows {
  envelopes: EventEnvelope[];
  /** Ids, types, subjects, times and envelopes (JSON), one array each, in the order of the events. */
  columns: [string[], string[], string[], string[], string[]];
}

/**
 * Writes events into the app's outbox through the caller's transaction, so that they commit (or
 * roll back) together with the change they announce. The relay publishes them afterwards.
 * Callers that change an aggregate must lock it first (e.g. SELECT ... FOR UPDATE) so that its
 * events enter the outbox in the order its changes commit.
 */
@Injectable()
export class OutboxWriter {
  private readonly table: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly relay: OutboxRelay,
  ) {
    this.table = `"${options.schema}".outbox`;
  }

  /** Appends the events to the outbox in the caller's transaction; answers their envelopes. */
  async append(manager: EntityManager, events: OutgoingEvent[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const rows = await this.rows(manager, events);
    await manager.query(this.insertSql(1), rows.columns);
    return rows.envelopes;
  }

  /**
   * The events as outbox rows, for a caller that inserts them with a statement of its own (with
   * {@link insertSql} as part of it), so that a change and its events take one round trip. The
   * caller must insert them in `manager`'s transaction, which this arranges to wake the relay
   * when it commits.
   */
  async rows(manager: EntityManager, events: OutgoingEvent[]): Promise<OutboxRows> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter needs the EntityManager of an open transaction');
    }
    await this.wakeRelayOnCommit(manager);
    return this.toRows(events);
  }

  /**
   * The events as outbox rows for a statement run by {@link execute}.
   * Each call stamps new event ids.
   */
  toRows(events: OutgoingEvent[]): OutboxRows {
    const trace = currentTrace();
    const envelopes = events.map((event) =>
      buildEnvelope({
        source: this.options.source,
        type: event.type,
        subject: event.subject,
        data: event.data,
        // CloudEvents distributed-tracing extension; the publisher copies it to the AMQP header.
        ...(trace ? { extensions: { traceparent: trace.traceparent } } : {}),
      }),
    );
    return {
      envelopes,
      columns: [
        envelopes.map((e) => e.id),
        envelopes.map((e) => e.type),
        envelopes.map((e) => e.subject as string),
        envelopes.map((e) => e.time),
        envelopes.map((e) => JSON.stringify(e)),
      ],
    };
  }

  /**
   * Runs a statement that inserts events (a `WITH ...` with {@link insertSql} as a part, values from
   * {@link toRows}) in `manager`'s transaction, the relay woken when that commits; or, given the
   * data source, on its own outside any transaction: a single statement is atomic, so the change
   * and its events still commit or roll back together, in one round trip instead of the three of
   * BEGIN, the statement and COMMIT. The relay is then woken once the statement has returned (by
   * a NOTIFY of its own when it leads in another instance: the rows are committed by then).
   */
  async execute<Row extends QueryResultRow>(
    on: EntityManager | DataSource,
    statement: PreparedStatement<Row>,
    values: unknown[],
  ): Promise<Row[]> {
    if ('queryRunner' in on) {
      if (!on.queryRunner?.isTransactionActive) {
        throw new Error('OutboxWriter.execute takes the EntityManager of an open transaction, or the DataSource');
      }
      await this.wakeRelayOnCommit(on);
      return statement.run(on, values);
    }
    const rows = await statement.run(on, values);
    if (this.relay.isLeader) this.relay.wake();
    else await on.query('SELECT pg_notify($1, $2)', [outboxChannel(this.options.schema), '']);
    return rows;
  }

  /**
   * The INSERT of {@link OutboxRows.columns}, given as five parameters from `$firstParameter` on:
   * a statement of its own, or the last part of a caller's `WITH ...`. Its rows are named `e`
   * (columns id, type, subject, occurred_at, envelope). `from` joins more relations to them, e.g.
   * a CTE of the caller's with one row or none, to insert the events only if it has one; and
   * `envelope` may rewrite each envelope from there (say, to fill in what only the statement knows).
   */
  insertSql(firstParameter: number, { from, envelope }: { from?: string; envelope?: string } = {}): string {
    const [id, type, subject, time, envelopes] = [0, 1, 2, 3, 4].map((offset) => `$${firstParameter + offset}`);
    return `INSERT INTO ${this.table} (id, type, subject, occurred_at, envelope)
       SELECT e.id, e.type, e.subject, e.occurred_at, ${envelope ?? 'e.envelope'}
       FROM unnest(${id}::uuid[], ${type}::text[], ${subject}::text[], ${time}::timestamptz[], ${envelopes}::jsonb[])
         AS e (id, type, subject, occurred_at, envelope)${from ? `, ${from}` : ''}`;
  }

  /**
   * The relay should see committed rows at once, not at its next poll. When this instance leads,
   * it is woken in-process right after the commit. Otherwise the leader is elsewhere and is
   * told with NOTIFY, which PostgreSQL delivers only if the transaction commits. NOTIFY is not
   * used for every commit because it takes a global lock at commit time, which cost about a
   * quarter of the throughput in bench:backbone.
   */
  private async wakeRelayOnCommit(manager: EntityManager): Promise<void> {
    const runner = manager.queryRunner as NonNullable<EntityManager['queryRunner']>;
    if (this.relay.isLeader) {
      runner.data[WAKE_RELAY_AFTER_COMMIT] = true;
    } else if (!runner.data[WAKE_RELAY_AFTER_COMMIT]) {
      runner.data[WAKE_RELAY_AFTER_COMMIT] = 'notified';
      await manager.query('SELECT pg_notify($1, $2)', [outboxChannel(this.options.schema), '']);
    }
  }
}
