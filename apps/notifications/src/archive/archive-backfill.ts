import { InjectConfig } from '@app/config';
import { EventFeedCatchUp } from '@app/messaging';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NotificationsConfig } from '../config';
import { EventArchiveRepository } from './event-archive.repository';

/**
 * Fills the archive that replay reads with the transactions service's events from before this
 * service's queue existed (CONTRACT.md section 5: a consumer that starts late catches up from
 * GET /events), so a replay covers them too. Archive only: those events predate every endpoint,
 * and an event that also arrives by the queue must still be fanned out from there.
 */
@Injectable()
export class ArchiveBackfill implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly feed: EventFeedCatchUp;

  constructor(
    @InjectConfig() config: NotificationsConfig,
    @InjectDataSource() dataSource: DataSource,
    archive: EventArchiveRepository,
  ) {
    this.feed = new EventFeedCatchUp(
      dataSource,
      {
        source: 'transactions',
        url: config.TRANSACTIONS_URL,
        apiKey: config.TRANSACTIONS_API_KEY ?? config.API_KEYS[0],
        schema: 'notifications',
      },
      (events) => archive.add(dataSource.manager, events),
    );
  }

  onApplicationBootstrap(): void {
    this.feed.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.feed.stop();
  }
}
