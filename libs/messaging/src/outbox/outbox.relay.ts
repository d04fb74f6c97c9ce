import { reportTaskFailure } from '@app/observability';
import { Logger } from '@nestjs/common';
import { Wakeup } from '@app/background';
import { openDedicatedSession, tryAdvisoryLock } from '@app/persistence';
import type { Client } from 'pg';
import { outboxChannel } from '../backbone-tables';
import type { EventPublisher } from '../event-publisher';
import type { MessagingMetrics } from '../messaging.metrics';
import { OutboxClaim } from './outbox-claim';

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
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly lockKey: string;
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private leading = false;
  private readonly claim: OutboxClaim;
  /** Positions of the batch the broker confirmed last, to be marked published by the next claim. */
  private confirmed: string[] = [];

  constructor(
    private readonly options: OutboxRelayOptions,
    private readonly publisher: EventPublisher,
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
    await this.claim.prepareSession(client);
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
    const rows = await this.claim.next(client, this.options.batchSize, this.confirmed);
    const claimedAt = performance.now();
    this.confirmed = [];
    if (rows.length === 0) return 0;
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
