import { PeriodicTask } from '@app/background';
import { reportTaskFailure } from '@app/observability';
import type { DataSource } from 'typeorm';

const PRUNE_EVERY_MS = 60_000;
/** Rows per DELETE: locks stay short and the WAL comes in small pieces. */
const PRUNE_CHUNK = 5_000;

export interface BackbonePrunerOptions {
  schema: string;
  /** Published events older than this leave the outbox (the archive GET /events reads); undefined keeps them. */
  retentionMs?: number;
  /**
   * Inbox entries (event ids consumers applied) older than this go: a redelivery that late is not
   * expected, and the table would otherwise grow by a row per event for ever.
   */
  inboxRetentionMs?: number;
}

/**
 * The backbone's housekeeping, at start and once a minute: published outbox rows past
 * EVENT_RETENTION and inbox entries past INBOX_RETENTION, a chunk per statement. Its own task, on
 * the app's pool, so the relay's connection only publishes. Every instance runs it; deleting the
 * same old rows twice is harmless, and a chunk's row locks make a second pruner wait, not fail.
 */
export class BackbonePruner {
  private readonly task: PeriodicTask;
  private readonly outbox: string;
  private readonly inbox: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: BackbonePrunerOptions,
  ) {
    this.outbox = `"${options.schema}".outbox`;
    this.inbox = `"${options.schema}".inbox`;
    this.task = new PeriodicTask(BackbonePruner.name, PRUNE_EVERY_MS, () => this.prune(), reportTaskFailure);
  }

  start(): void {
    if (this.options.retentionMs === undefined && this.options.inboxRetentionMs === undefined) return;
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  private async prune(): Promise<void> {
    const { retentionMs, inboxRetentionMs } = this.options;
    if (retentionMs !== undefined) {
      await this.inChunks(this.outbox, 'position', 'published_at IS NOT NULL AND published_at', retentionMs);
    }
    if (inboxRetentionMs !== undefined) await this.inChunks(this.inbox, 'ctid', 'processed_at', inboxRetentionMs);
  }

  /** Deletes rows whose `olderThan` column is past `ageMs`, a chunk per statement. */
  private async inChunks(table: string, key: string, olderThan: string, ageMs: number): Promise<void> {
    for (;;) {
      const [, deleted] = await this.dataSource.query<[unknown[], number]>(
        `DELETE FROM ${table} WHERE ${key} IN (
           SELECT ${key} FROM ${table} WHERE ${olderThan} < now() - make_interval(secs => $1) LIMIT ${PRUNE_CHUNK})`,
        [ageMs / 1000],
      );
      if (deleted < PRUNE_CHUNK) return;
    }
  }
}
