import { InjectConfig } from '@app/config';
import { EventFeedCatchUp } from '@app/messaging';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AdEngineConfig } from '../config';
import { FundsLearner } from './funds-learner';

/**
 * Catches up on balance events published before this engine's queue existed (CONTRACT.md
 * section 5: a consumer that starts late catches up from GET /events). The queue is declared
 * first, so anything newer arrives there; events seen both ways are applied once (inbox).
 */
@Injectable()
export class BalanceCatchUp implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly feed: EventFeedCatchUp;

  constructor(
    @InjectConfig() config: AdEngineConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly learner: FundsLearner,
  ) {
    this.feed = new EventFeedCatchUp(
      dataSource,
      {
        source: 'transactions',
        url: config.TRANSACTIONS_URL,
        apiKey: config.TRANSACTIONS_API_KEY ?? config.API_KEYS[0],
        type: 'account.balance_updated',
        schema: 'ad_engine',
      },
      async (events) => {
        for (const event of events) await this.learner.apply(event);
      },
    );
  }

  onApplicationBootstrap(): void {
    this.feed.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.feed.stop();
  }
}
