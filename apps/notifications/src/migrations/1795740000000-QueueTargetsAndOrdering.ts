import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event-bus subscriptions (CONTRACT.md section 8) are endpoints whose target is a queue
 * (`kind = 'queue'`, no URL, no secret) rather than a URL: one table, so fan-out, claims,
 * retries, replay and the delivery log serve both. Both kinds gain a content `filter` and an
 * `ordering`.
 *
 * A delivery of an endpoint with `ordering = 'subject'` records its event's subject and
 * sequence: a claim takes it only once no earlier open delivery of the same endpoint and subject
 * is left. The index that answers that holds such open deliveries only, so unordered endpoints
 * (the common case) pay nothing for it.
 *
 * Claims take live deliveries before replayed ones (a replay never starves live traffic): the
 * due index leads with `replay`, so each kind is one range scan.
 */
export class QueueTargetsAndOrdering1795740000000 implements MigrationInterface {
  name = 'QueueTargetsAndOrdering1795740000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE notifications.endpoints
         ADD COLUMN kind text NOT NULL DEFAULT 'webhook',
         ADD COLUMN queue text,
         ADD COLUMN filter jsonb,
         ADD COLUMN ordering text NOT NULL DEFAULT 'none',
         ALTER COLUMN url DROP NOT NULL,
         ALTER COLUMN secret DROP NOT NULL,
         ADD CONSTRAINT endpoints_target_check CHECK (
           (kind = 'webhook' AND url IS NOT NULL AND secret IS NOT NULL AND queue IS NULL)
           OR (kind = 'queue' AND queue IS NOT NULL AND url IS NULL AND secret IS NULL)),
         ADD CONSTRAINT endpoints_ordering_check CHECK (ordering IN ('none', 'subject'))`,
    );
    await runner.query(
      'CREATE UNIQUE INDEX endpoints_queue_idx ON notifications.endpoints (queue) WHERE queue IS NOT NULL',
    );
    await runner.query('ALTER TABLE notifications.deliveries ADD COLUMN subject text, ADD COLUMN sequence numeric');
    await runner.query(
      `CREATE INDEX deliveries_subject_order_idx ON notifications.deliveries (endpoint_id, subject, sequence, created_at)
       WHERE status IN ('pending', 'failed') AND subject IS NOT NULL`,
    );
    await runner.query('DROP INDEX notifications.deliveries_due_idx');
    await runner.query(
      `CREATE INDEX deliveries_due_idx ON notifications.deliveries (replay, next_attempt_at)
       WHERE status IN ('pending', 'failed') AND claimed_until IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications.deliveries_due_idx');
    await runner.query(
      `CREATE INDEX deliveries_due_idx ON notifications.deliveries (next_attempt_at)
       WHERE status IN ('pending', 'failed') AND claimed_until IS NULL`,
    );
    await runner.query('DROP INDEX notifications.deliveries_subject_order_idx');
    await runner.query('ALTER TABLE notifications.deliveries DROP COLUMN subject, DROP COLUMN sequence');
    await runner.query("DELETE FROM notifications.endpoints WHERE kind = 'queue'");
    await runner.query('DROP INDEX notifications.endpoints_queue_idx');
    await runner.query(
      `ALTER TABLE notifications.endpoints
         DROP CONSTRAINT endpoints_ordering_check, DROP CONSTRAINT endpoints_target_check,
         ALTER COLUMN url SET NOT NULL, ALTER COLUMN secret SET NOT NULL,
         DROP COLUMN ordering, DROP COLUMN filter, DROP COLUMN queue, DROP COLUMN kind`,
    );
  }
}
