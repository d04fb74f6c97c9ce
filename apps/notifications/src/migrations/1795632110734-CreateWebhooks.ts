import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints, one delivery per (event, endpoint) with its attempts, and the archive of
 * every platform event seen (what replay re-sends, including events older than an endpoint).
 */
export class CreateWebhooks1795632110734 implements MigrationInterface {
  name = 'CreateWebhooks1795632110734';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE notifications.endpoints (
      id uuid PRIMARY KEY,
      url varchar(2048) NOT NULL,
      description varchar(500),
      event_types text[],
      enabled boolean NOT NULL DEFAULT true,
      disabled_reason varchar(20),
      secret varchar(100) NOT NULL,
      previous_secret varchar(100),
      previous_secret_expires_at timestamptz,
      failing_since timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX endpoints_created_idx ON notifications.endpoints (created_at, id)`);
    await runner.query(`CREATE TABLE notifications.deliveries (
      id uuid PRIMARY KEY,
      endpoint_id uuid NOT NULL REFERENCES notifications.endpoints (id) ON DELETE CASCADE,
      event_id varchar(255) NOT NULL,
      event_type varchar(255) NOT NULL,
      envelope jsonb NOT NULL,
      status varchar(10) NOT NULL CONSTRAINT deliveries_status_known CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      last_status_code integer,
      last_error varchar(1000),
      next_attempt_at timestamptz,
      claimed_until timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await runner.query(
      `CREATE INDEX deliveries_due_idx ON notifications.deliveries (next_attempt_at) WHERE status IN ('pending', 'failed')`,
    );
    await runner.query(
      `CREATE INDEX deliveries_endpoint_idx ON notifications.deliveries (endpoint_id, created_at, id)`,
    );
    await runner.query(
      `CREATE INDEX deliveries_updated_idx ON notifications.deliveries (updated_at) WHERE status IN ('succeeded', 'dead')`,
    );
    await runner.query(`CREATE TABLE notifications.delivery_attempts (
      id bigserial PRIMARY KEY,
      delivery_id uuid NOT NULL REFERENCES notifications.deliveries (id) ON DELETE CASCADE,
      attempted_at timestamptz NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      error varchar(1000),
      response_excerpt text
    )`);
    await runner.query(
      `CREATE INDEX delivery_attempts_delivery_idx ON notifications.delivery_attempts (delivery_id, id)`,
    );
    await runner.query(`CREATE TABLE notifications.event_archive (
      event_id varchar(255) PRIMARY KEY,
      event_type varchar(255) NOT NULL,
      occurred_at timestamptz NOT NULL,
      envelope jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX event_archive_time_idx ON notifications.event_archive (occurred_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notifications.event_archive');
    await runner.query('DROP TABLE notifications.delivery_attempts');
    await runner.query('DROP TABLE notifications.deliveries');
    await runner.query('DROP TABLE notifications.endpoints');
  }
}
