import type { EventEnvelope } from '@app/contracts';
import { reportTaskFailure } from '@app/observability';
import { Logger } from '@nestjs/common';
import { Wakeup } from '@app/background';
import { Client } from 'pg';
import { outboxChannel } from '../backbone-tables';
import type { EventPublisher } from '../event-publisher';
import type { MessagingMetrics } from '../messaging.metrics';

export interface OutboxRelayOptions {
  appName: string;
  databaseUrl: string;
  schema: string;
  batchSize: number;
  pollIntervalMs: number;
  /** Published events older than this are pruned from the archive; undefined keeps them. */
  retentionMs?: number;
  /**
   * Inbox entries (event ids consumers applied) older than this are pruned: a redelivery that
   * late is not expected, and the table would otherwise grow by a row per event for ever.
   */
  inboxRetentionMs?: number;
}

interface PendingRow {
  position: string;
  envelope: EventEnvelope;
  sequence: string | null;
}

const PRUNE_EVERY_MS = 60_000;
const PRUNE_CHUNK = 5_000;

/**
 * Publishes committed outbox rows to RabbitMQ, in outbox order, in batches on a confirm channel,
 * marking a batch published only after the broker has confirmed every message in it.
 *
 * One relay per app publishes at a time: the leader holds a PostgreSQL session advisory lock on
 * its own connection. We chose a leader over claiming rows with FOR UPDATE SKIP LOCKED because
 * a single publisher keeps order per aggregate and hands out `sequence` numbers in publish order
 * without any coordination, and one relay outruns the broker's confirm rate anyway. If the
 * leader dies its session ends, PostgreSQL releases the lock, and a follower (retrying every
 * poll interval) takes over; rows it had published but not yet marked are published again with
 * the same id and sequence: at least once, never lost.
 *
 * The leader sleeps until it is woken (see OutboxWriter: in-process after a local commit, or by
 * NOTIFY from another instance) or the poll interval passes.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly table: string;
  private readonly lockKey: string;
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private lastPrune = 0;
  private leading = false;

  constructor(
    private readonly options: OutboxRelayOptions,
    private readonly publisher: EventPublisher,
    private readonly metrics: MessagingMetrics,
  ) {
    this.table = `"${options.schema}".outbox`;
    this.lockKey = `outbox-relay:${options.schema}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in flight, then lets go of the leadership. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const client = new Client({
        connectionString: this.options.databaseUrl,
        application_name: `${this.options.appName}-outbox-relay`,
        keepAlive: true,
      });
      let lost: Error | undefined;
      client.on('error', (error) => {
        lost = error;
        this.wake();
      });
      client.on('notification', () => this.wake());
      try {
        await client.connect();
        await this.lead(client, () => lost);
      } catch (error) {
        if (this.running) {
          this.logger.warn(`outbox relay: ${(error as Error).message}; retrying`);
          reportTaskFailure('outbox-relay', error);
        }
      } finally {
        this.leading = false;
        this.metrics.relayLeader.set(0);
        await client.end().catch(() => undefined);
      }
      if (this.running) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async lead(client: Client, connectionLost: () => Error | undefined): Promise<void> {
    while (this.running && !(await this.tryLock(client))) {
      await this.sleep(this.options.pollIntervalMs);
      const lost = connectionLost();
      if (lost) throw lost;
    }
    if (!this.running) return;
    this.leading = true;
    this.metrics.relayLeader.set(1);
    this.logger.log('outbox relay is the leader for this app');
    await client.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
    while (this.running) {
      const lost = connectionLost();
      if (lost) throw lost;
      const published = await this.publishBatch(client);
      await this.pruneIfDue(client);
      if (published < this.options.batchSize) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async tryLock(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      this.lockKey,
    ]);
    return rows[0].locked;
  }

  /** Publishes the oldest pending rows; returns how many. */
  private async publishBatch(client: Client): Promise<number> {
    const { rows } = await client.query<PendingRow>(
      `SELECT position, envelope, sequence FROM ${this.table}
       WHERE published_at IS NULL ORDER BY position LIMIT $1`,
      [this.options.batchSize],
    );
    if (rows.length === 0) return 0;
    await this.assignSequences(client, rows);
    await Promise.all(rows.map((row) => this.publisher.publish({ ...row.envelope, sequence: row.sequence as string })));
    await client.query(`UPDATE ${this.table} SET published_at = now() WHERE position = ANY($1::bigint[])`, [
      rows.map((row) => row.position),
    ]);
    this.metrics.published.inc({ exchange: this.publisher.exchange }, rows.length);
    return rows.length;
  }

  /**
   * Numbers rows in outbox order right before their first publish. Stored before publishing so a
   * republish after a crash carries the same sequence; a batch becomes visible as published only
   * as a whole, so the published sequences are always a gap-free prefix for `/events` readers.
   */
  private async assignSequences(client: Client, rows: PendingRow[]): Promise<void> {
    const unnumbered = rows.filter((row) => row.sequence === null);
    if (unnumbered.length === 0) return;
    const { rows: values } = await client.query<{ value: string }>(
      `SELECT nextval('"${this.options.schema}".outbox_sequence') AS value FROM generate_series(1, $1)`,
      [unnumbered.length],
    );
    const sequences = values.map((v) => BigInt(v.value)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    unnumbered.forEach((row, index) => (row.sequence = sequences[index].toString()));
    await client.query(
      `UPDATE ${this.table} AS o SET sequence = v.sequence
       FROM unnest($1::bigint[], $2::bigint[]) AS v(position, sequence) WHERE o.position = v.position`,
      [unnumbered.map((row) => row.position), unnumbered.map((row) => row.sequence)],
    );
  }

  /** The leader's housekeeping, once a minute: the archive past its retention, and the inbox. */
  private async pruneIfDue(client: Client): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    const { retentionMs, inboxRetentionMs, schema } = this.options;
    if (retentionMs !== undefined) {
      await this.pruneInChunks(
        client,
        this.table,
        'position',
        'published_at IS NOT NULL AND published_at',
        retentionMs,
      );
    }
    if (inboxRetentionMs !== undefined) {
      await this.pruneInChunks(client, `"${schema}".inbox`, 'ctid', 'processed_at', inboxRetentionMs);
    }
  }

  /** Deletes rows whose `olderThan` column is past `ageMs`, a chunk per statement so locks stay short. */
  private async pruneInChunks(
    client: Client,
    table: string,
    key: string,
    olderThan: string,
    ageMs: number,
  ): Promise<void> {
    for (;;) {
      const result = await client.query(
        `DELETE FROM ${table} WHERE ${key} IN (
           SELECT ${key} FROM ${table} WHERE ${olderThan} < now() - make_interval(secs => $1) LIMIT ${PRUNE_CHUNK})`,
        [ageMs / 1000],
      );
      if ((result.rowCount ?? 0) < PRUNE_CHUNK || !this.running) return;
    }
  }

  /** Whether this instance is publishing right now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Makes the leader look for new rows now instead of at the end of its poll interval. */
  wake(): void {
    this.wakeup.wake();
  }

  private async sleep(ms: number): Promise<void> {
    if (this.running) await this.wakeup.sleep(ms);
  }
}
