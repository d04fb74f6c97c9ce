import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Claims read unclaimed due deliveries from an index that holds nothing else. Before, the due
 * index also held every delivery claimed and waiting in a lane, so each claim walked past all of
 * them (thousands under load) to find the few it could take. Claims that ran out are found
 * through their own index on `claimed_until`.
 */
export class DueIndexWithoutClaims1795720400000 implements MigrationInterface {
  name = 'DueIndexWithoutClaims1795720400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications.deliveries_due_idx');
    await runner.query(
      `CREATE INDEX deliveries_due_idx ON notifications.deliveries (next_attempt_at)
       WHERE status IN ('pending', 'failed') AND claimed_until IS NULL`,
    );
    await runner.query(
      `CREATE INDEX deliveries_claimed_idx ON notifications.deliveries (claimed_until)
       WHERE status IN ('pending', 'failed') AND claimed_until IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications.deliveries_claimed_idx');
    await runner.query('DROP INDEX notifications.deliveries_due_idx');
    await runner.query(
      `CREATE INDEX deliveries_due_idx ON notifications.deliveries (next_attempt_at) WHERE status IN ('pending', 'failed')`,
    );
  }
}
