import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which dispatcher instance holds a claim (its advisory-lock key), so the claims of a process
 * that died are taken over at once rather than when they run out.
 */
export class AddDeliveryClaimOwner1795720000000 implements MigrationInterface {
  name = 'AddDeliveryClaimOwner1795720000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.deliveries ADD COLUMN claimed_by integer');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.deliveries DROP COLUMN claimed_by');
  }
}
