import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /events/:id/trace lists an event's deliveries. Nothing found them by event but a read of
 * the whole delivery log (kept 90 days); this index finds them at the price of one more entry
 * written per delivery.
 */
export class DeliveriesByEvent1795760000000 implements MigrationInterface {
  name = 'DeliveriesByEvent1795760000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX deliveries_event_idx ON notifications.deliveries (event_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications.deliveries_event_idx');
  }
}
