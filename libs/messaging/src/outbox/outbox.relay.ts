import type { EventEnvelope } from '@app/contracts';
import { reportTaskFailure } from '@app/observability';
import { Logger } from '@nestjs/common';
import { Wakeup } from '@app/background';
import { openDedicatedSession, tryAdvisoryLock } from '@app/persistence';
import type { Client } from 'pg';
import { outboxChannel } from '../backbone-tables';
import type { EventPublisher } from '../event-publisher';
import type { MessagingMetrics } from '../messaging.metrics';

export interface OutboxRelayOptions {
  appName: string;
  databaseUrl: string;
  schema: string;
  batchSize: number;
  pollIntervalMs: number;
}

interface ClaimedRow {
  position: string;
  envelope: EventEnvelope;
  sequence: string;
  /** Seconds since the row was inserted, by the database's clock, as it was claimed. */
  age: number;
}

const comparePositions = (a: string, b: string): number => {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
};

/**
 * One statement per batch: marks the previous batch ($2, confirmed by the broker) published,
 * then numbers the oldest pending rows and returns them with their envelopes. The sequence is
 * stored before the first publish, so a republish after a crash carries the same one; `nextval`
 * in a SELECT list is evaluated after that SELECT's ORDER BY, so sequences follow `position`,
 * and a row numbered before a crash keeps its number. The CTEs share one snapshot, so the batch
 * leaves out the rows being marked. Each row's age is read by the database's clock, the one that
 * stamped `created_at`, so the commit-to-publish figure does not depend on two clocks agreeing.
 */
const claimBatch = (table: string, sequence: string): string => `WITH marked AS (
    UPDATE ${table} SET published_at = now() WHERE position = ANY($2::bigint[])
  ), batch AS (
    SELECT position, sequence FROM ${table}
    WHERE published_at IS NULL AND position <> ALL($2::bigint[])
    ORDER BY position LIMIT $1
  ), numbered AS (
    SELECT position, COALESCE(sequence, nextval('${sequence}')) AS sequence FROM batch ORDER BY position
  )
  UPDATE ${table} o SET sequence = n.sequence FROM numbered n WHERE o.position = n.position
  RETURNING o.position, o.envelope, o.sequence::text AS sequence,
    extract(epoch FROM clock_timestamp() - o.created_at)::float8 AS age`;

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
  private leading = false;
  private readonly claimBatch: string;
  /** Positions of the batch the broker confirmed last, to be marked published by the next claim. */
  private confirmed: string[] = [];

  constructor(
    private readonly options: OutboxRelayOptions,
    private readonly publisher: EventPublisher,
    private readonly metrics: MessagingMetrics,
  ) {
    this.table = `"${options.schema}".outbox`;
    this.lockKey = `outbox-relay:${options.schema}`;
    this.claimBatch = claimBatch(this.table, `"${options.schema}".outbox_sequence`);
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
      let lost: Error | undefined;
      let client: Client | undefined;
      try {
        client = await openDedicatedSession(
          { databaseUrl: this.options.databaseUrl, applicationName: `${this.options.appName}-outbox-relay` },
          (error) => {
            lost = error;
            this.wake();
          },
        );
        client.on('notification', () => this.wake());
        await this.lead(client, () => lost);
      } catch (error) {
        if (this.running) {
          this.logger.warn(`outbox relay: ${(error as Error).message}; retrying`);
          reportTaskFailure('outbox-relay', error);
        }
      } finally {
        this.leading = false;
        this.metrics.relayLeader.set(0);
        await client?.end().catch(() => undefined);
      }
      if (this.running) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async lead(client: Client, connectionLost: () => Error | undefined): Promise<void> {
    while (this.running && !(await tryAdvisoryLock(client, { name: this.lockKey }))) {
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
      // After a batch, claim again at once: that marks it published, and picks up what came meanwhile.
      if (published === 0) await this.sleep(this.options.pollIntervalMs);
    }
    await this.markConfirmed(client);
  }

  /**
   * Publishes the oldest pending rows; returns how many. The statement that claims them also
   * marks the previous batch published (its confirms are in by then), so a busy relay spends one
   * statement per batch, and an idle one two (the second claims nothing and marks the last batch).
   */
  private async publishBatch(client: Client): Promise<number> {
    const { rows } = await client.query<ClaimedRow>({
      name: 'outbox-claim',
      text: this.claimBatch,
      values: [this.options.batchSize, this.confirmed],
    });
    const claimedAt = performance.now();
    this.confirmed = [];
    if (rows.length === 0) return 0;
    // RETURNING follows no order; the claim numbered the rows in `position` order.
    rows.sort((a, b) => comparePositions(a.position, b.position));
    await Promise.all(rows.map((row) => this.publisher.publish({ ...row.envelope, sequence: row.sequence })));
    this.confirmed = rows.map((row) => row.position);
    const exchange = this.publisher.exchange;
    this.metrics.published.inc({ exchange }, rows.length);
    const sinceClaim = (performance.now() - claimedAt) / 1000;
    for (const row of rows) this.metrics.commitToPublish.observe({ exchange }, row.age + sinceClaim);
    return rows.length;
  }

  /** Marks the last confirmed batch published before this leader lets go. */
  private async markConfirmed(client: Client): Promise<void> {
    if (this.confirmed.length === 0) return;
    await client.query(`UPDATE ${this.table} SET published_at = now() WHERE position = ANY($1::bigint[])`, [
      this.confirmed,
    ]);
    this.confirmed = [];
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
