import { buildEnvelope, EventEnvelope } from '@app/contracts';
import { currentTraceparent } from '@app/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
    const traceparent = currentTraceparent();
    const envelopes = events.map((event) =>
      buildEnvelope({
        source: this.options.source,
        type: event.type,
        subject: event.subject,
        data: event.data,
        // CloudEvents distributed-tracing extension; the publisher copies it to the AMQP header.
        ...(traceparent ? { extensions: { traceparent } } : {}),
      }),
    );
    await this.wakeRelayOnCommit(manager);
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
   * The INSERT of {@link OutboxRows.columns}, given as five parameters from `$firstParameter` on:
   * a statement of its own, or the last part of a caller's `WITH ... INSERT`.
   */
  insertSql(firstParameter: number): string {
    const [id, type, subject, time, envelope] = [0, 1, 2, 3, 4].map((offset) => `$${firstParameter + offset}`);
    return `INSERT INTO ${this.table} (id, type, subject, occurred_at, envelope)
       SELECT * FROM unnest(${id}::uuid[], ${type}::text[], ${subject}::text[], ${time}::timestamptz[], ${envelope}::jsonb[])`;
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
