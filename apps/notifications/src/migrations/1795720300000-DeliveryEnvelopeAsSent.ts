import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery keeps its envelope as the JSON text it was received in (`json`, not `jsonb`, which
 * reorders keys and respaces): every attempt of a delivery then sends the same bytes, whether it
 * was handed straight to a lane or claimed from the table later.
 */
export class DeliveryEnvelopeAsSent1795720300000 implements MigrationInterface {
  name = 'DeliveryEnvelopeAsSent1795720300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.deliveries ALTER COLUMN envelope TYPE json USING envelope::json');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.deliveries ALTER COLUMN envelope TYPE jsonb USING envelope::jsonb');
  }
}
