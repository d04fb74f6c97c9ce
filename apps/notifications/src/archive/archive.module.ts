import { Module } from '@nestjs/common';
import { ArchiveBackfill } from './archive-backfill';
import { EventArchiveRepository } from './event-archive.repository';

/** Every platform event notifications has received (what replay reads), backfilled from GET /events. */
@Module({
  providers: [EventArchiveRepository, ArchiveBackfill],
  exports: [EventArchiveRepository],
})
export class ArchiveModule {}
