import { catchUpCursorTableDown, catchUpCursorTableUp } from '@app/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How far the archive has been filled from the transactions service's GET /events. */
export class CreateCatchUpCursor1795720100000 implements MigrationInterface {
  name = 'CreateCatchUpCursor1795720100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(catchUpCursorTableUp('notifications'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(catchUpCursorTableDown('notifications'));
  }
}
