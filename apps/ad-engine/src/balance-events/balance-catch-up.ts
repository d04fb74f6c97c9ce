import { InjectConfig } from '@app/config';
import type { EventEnvelope } from '@app/contracts';
import { encodeCursor } from '@app/dto';
import { PoisonMessageError } from '@app/messaging';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AdEngineConfig } from '../config';
import { FundsLearner } from './funds-learner';

const SOURCE = 'transactions';
const PAGE = 100;
const RETRY_MS = 5_000;

/**
 * Catches up on balance events published before this engine's queue existed (CONTRACT.md
 * section 5: a consumer that starts late catches up from GET /events). The queue is declared
 * first, so anything newer arrives there; events seen both ways are applied once (inbox). Runs
 * in the background from the last sequence read, retrying until the archive has been read to
 * its end once; it never holds up readiness.
 */
@Injectable()
export class BalanceCatchUp implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BalanceCatchUp.name);
  private running = false;
  private done?: Promise<void>;

  constructor(
    @InjectConfig() private readonly config: AdEngineConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly learner: FundsLearner,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.done = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const applied = await this.readToEnd();
        if (applied > 0) this.logger.log(`caught up on ${applied} balance events from ${this.config.TRANSACTIONS_URL}`);
        return;
      } catch (error) {
        this.logger.warn(
          `catching up from ${this.config.TRANSACTIONS_URL}/events: ${(error as Error).message}; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  private async readToEnd(): Promise<number> {
    let sequence = await this.lastSequence();
    let applied = 0;
    while (this.running) {
      const page = await this.fetchPage(sequence);
      for (const event of page.data) {
        try {
          await this.learner.apply(event);
        } catch (error) {
          if (!(error instanceof PoisonMessageError)) throw error;
          this.logger.warn(error.message);
        }
        sequence = event.sequence ?? sequence;
        applied++;
      }
      if (page.data.length > 0) await this.saveSequence(sequence as string);
      if (!page.nextCursor) return applied;
    }
    return applied;
  }

  private async fetchPage(
    afterSequence: string | undefined,
  ): Promise<{ data: EventEnvelope[]; nextCursor: string | null }> {
    const url = new URL('/events', this.config.TRANSACTIONS_URL);
    url.searchParams.set('type', 'account.balance_updated');
    url.searchParams.set('limit', String(PAGE));
    if (afterSequence) url.searchParams.set('cursor', encodeCursor({ sequence: afterSequence }));
    const key = this.config.TRANSACTIONS_API_KEY ?? this.config.API_KEYS[0];
    const response = await fetch(url, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`GET /events answered ${response.status}`);
    return (await response.json()) as { data: EventEnvelope[]; nextCursor: string | null };
  }

  private async lastSequence(): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ sequence: string }[]>(
      'SELECT sequence::text AS sequence FROM ad_engine.catch_up_cursor WHERE source = $1',
      [SOURCE],
    );
    return row?.sequence;
  }

  private async saveSequence(sequence: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ad_engine.catch_up_cursor (source, sequence) VALUES ($1, $2)
       ON CONFLICT (source) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = now()`,
      [SOURCE, sequence],
    );
  }
}
