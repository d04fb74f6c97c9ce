/**
 * DDL of the event backbone's tables in an app's schema, for that app's migration to run:
 *
 * - `outbox`: events written in the same transaction as the change they announce. `position`
 *   orders rows as they were inserted; `sequence` is assigned by the relay right before it
 *   publishes (CloudEvents `sequence`), so it rises in publish order and `/events` cursors page
 *   on it without skipping a row that committed late. Published rows stay as the event archive.
 * - `inbox`: event ids a consumer has applied, written in the same transaction as the effects.
 */
export function backboneTablesUp(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE SEQUENCE ${s}.outbox_sequence AS bigint`,
    `CREATE TABLE ${s}.outbox (
      position bigserial PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      type text NOT NULL,
      subject text NOT NULL,
      occurred_at timestamptz NOT NULL,
      envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      sequence bigint UNIQUE,
      published_at timestamptz
    )`,
    `CREATE INDEX outbox_pending_idx ON ${s}.outbox (position) WHERE published_at IS NULL`,
    `CREATE INDEX outbox_published_type_idx ON ${s}.outbox (type, sequence) WHERE published_at IS NOT NULL`,
    `CREATE INDEX outbox_published_at_idx ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL`,
    `CREATE TABLE ${s}.inbox (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`,
    `CREATE INDEX inbox_processed_at_idx ON ${s}.inbox (processed_at)`,
  ];
}

export function backboneTablesDown(schema: string): string[] {
  const s = `"${schema}"`;
  return [`DROP TABLE ${s}.inbox`, `DROP TABLE ${s}.outbox`, `DROP SEQUENCE ${s}.outbox_sequence`];
}

/** The LISTEN/NOTIFY channel on which the relay of `schema` is woken. */
export const outboxChannel = (schema: string): string => `outbox_${schema}`;
