import { reportTaskFailure } from '@app/observability';
import { Logger } from '@nestjs/common';
import { Wakeup } from '@app/background';
import { openDedicatedSession, tryAdvisoryLock } from '@app/persistence';
import type { Client } from 'pg';
import { outboxChannel } from '../backbone-tables';
import type { EventPublisher } from '../event-publisher';
import type { MessagingMetrics } from '../messaging.metrics';
import { ClaimedRow, OutboxClaim } from './outbox-claim';

export interface OutboxRelayOptions {
  appName: string;
  databaseUrl: string;
  schema: string;
  batchSize: number;
  pollIntervalMs: number;
}

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
 *
 * Up to {@link MAX_BATCHES_IN_FLIGHT} batches are published at once: a commit that arrives while
 * a batch waits for its confirms is claimed and published at once, instead of after those
 * confirms (a quorum queue's fsync), which was the larger part of commit-to-publish under load.
 * One channel keeps publish order, so order per aggregate holds as before.
 */
/** Two: one batch waiting for its confirms while the next is claimed and published. */
const MAX_BATCHES_IN_FLIGHT = 2;

export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly lockKey: string;
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private leading = false;
  private readonly claim: OutboxClaim;
  /** Positions the broker confirmed since the last claim, to be marked published by the next. */
  private confirmed: string[] = [];
  /** Batches published and waiting for their confirms, with their positions. */
  private readonly inFlight = new Map<Promise<void>, string[]>();
  /** Publishes the broker refused (or that failed) since this leadership began. */
  private readonly failures: Error[] = [];

  constructor(
    private readonly options: OutboxRelayOptions,
    private readonly publisher: Pick<EventPublisher, 'publish' | 'exchange'>,
    private readonly metrics: MessagingMetrics,
  ) {
    this.lockKey = `outbox-relay:${options.schema}`;
    this.claim = new OutboxClaim(options.schema);
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
    this.failures.length = 0;
    try {
      await this.claim.prepareSession(client);
      await client.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
      while (this.running) {
        const lost = connectionLost();
        if (lost) throw lost;
        if (this.failures.length > 0) throw this.failures[0];
        if (this.inFlight.size >= MAX_BATCHES_IN_FLIGHT) {
          await Promise.race(this.inFlight.keys());
          continue;
        }
        const published = await this.publishBatch(client);
        // A full batch leaves more behind: claim again at once. Otherwise sleep until a commit
        // or a batch's confirms (whose claim marks it) wake us; a commit made during the claim
        // has woken us already, so that sleep returns at once.
        if (published < this.options.batchSize) await this.sleep(this.options.pollIntervalMs);
      }
    } finally {
      // Every batch in flight settles before the session ends: the next leadership then claims
      // nothing this one still has in the air, or marks it if its confirms came.
      await Promise.allSettled(this.inFlight.keys());
    }
    if (this.failures.length > 0) throw this.failures[0];
    await this.markConfirmed(client);
  }

  /**
   * Claims the oldest pending rows and publishes them, without waiting for their confirms;
   * returns how many. The statement that claims them also marks what the broker confirmed since
   * the last claim, so a busy relay spends one statement per batch, and an idle one two (the
   * second claims nothing and marks the last batch).
   */
  private async publishBatch(client: Client): Promise<number> {
    const marking = this.confirmed;
    this.confirmed = [];
    let rows: ClaimedRow[];
    try {
      rows = await this.claim.next(client, this.options.batchSize, marking, [...this.inFlight.values()].flat());
    } catch (error) {
      // Whether the marks committed is unknown: the next claim marks them again (harmlessly).
      this.confirmed = marking.concat(this.confirmed);
      throw error;
    }
    if (rows.length === 0) return 0;
    const claimedAt = performance.now();
    const positions = rows.map((row) => row.position);
    const batch: Promise<void> = Promise.all(
      rows.map((row) => this.publisher.publish({ ...row.envelope, sequence: row.sequence })),
    )
      .then(
        () => {
          this.confirmed.push(...positions);
          const exchange = this.publisher.exchange;
          this.metrics.published.inc({ exchange }, rows.length);
          const sinceClaim = (performance.now() - claimedAt) / 1000;
          for (const row of rows) this.metrics.commitToPublish.observe({ exchange }, row.age + sinceClaim);
        },
        (error: unknown) => {
          this.failures.push(error instanceof Error ? error : new Error(String(error)));
        },
      )
      .finally(() => {
        this.inFlight.delete(batch);
        this.wake();
      });
    this.inFlight.set(batch, positions);
    return rows.length;
  }

  /** Marks the last confirmed batch published before this leader lets go. */
  private async markConfirmed(client: Client): Promise<void> {
    await this.claim.markPublished(client, this.confirmed);
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
