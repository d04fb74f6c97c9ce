import { buildEnvelope, EventEnvelope } from '@app/contracts';
import { sql } from './sql';

/**
 * Commits an event straight into an app's outbox, bypassing the app: what a process killed
 * between its commit and the relay's publish leaves behind.
 */
export async function commitUnpublishedEvent(
  databaseUrl: string,
  schema: string,
  event: { source: string; type: string; subject: string; data?: unknown },
): Promise<EventEnvelope> {
  const envelope = buildEnvelope({ ...event, data: event.data ?? {} });
  await sql(
    databaseUrl,
    `INSERT INTO "${schema}".outbox (id, type, subject, occurred_at, envelope) VALUES ($1, $2, $3, $4, $5)`,
    [envelope.id, envelope.type, envelope.subject, envelope.time, envelope],
  );
  return envelope;
}
