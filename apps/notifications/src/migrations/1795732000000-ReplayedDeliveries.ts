import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery made by a replay says so to its receiver (`webhook-replay: true`, CONTRACT.md
 * section 7). A constant default: adding the column rewrites no row.
 */
export class ReplayedDeliveries1795732000000 implements MigrationInterface {
  name = 'ReplayedDeliveries1795732000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.deliveries ADD COLUMN replay boolean NOT NULL DEFAULT false');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.deliveries DROP COLUMN replay');
  }
}
