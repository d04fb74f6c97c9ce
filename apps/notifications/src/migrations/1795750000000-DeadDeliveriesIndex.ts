import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `webhook_deliveries{status="dead"}` is counted at every scrape. No index held dead deliveries
 * apart from succeeded ones, so counting them read the whole finished log; this one holds only
 * the dead, few as they are, until they are pruned.
 */
export class DeadDeliveriesIndex1795750000000 implements MigrationInterface {
  name = 'DeadDeliveriesIndex1795750000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX deliveries_dead_idx ON notifications.deliveries (updated_at) WHERE status = 'dead'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications.deliveries_dead_idx');
  }
}
