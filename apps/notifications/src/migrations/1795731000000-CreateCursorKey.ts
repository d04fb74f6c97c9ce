import { createCursorKeyTable, dropCursorKeyTable } from '@app/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The random key that signs this app's page cursors (see PageCursors). */
export class CreateCursorKey1795731000000 implements MigrationInterface {
  name = 'CreateCursorKey1795731000000';

  async up(runner: QueryRunner): Promise<void> {
    await createCursorKeyTable(runner, 'notifications');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropCursorKeyTable(runner, 'notifications');
  }
}
