import { buildEnvelope, EventEnvelope } from '@app/contracts';
import { sql } from './sql';

/**
 * Commits an event straight into an app's outbox, bypassing the app: what a process killed
 * between its commit and the relay's publish leaves behind, `ageSeconds` ago (default now).
 */
export async function commitUnpublishedEvent(
  databaseUrl: string,
  schema: string,
  event: { source: string; type: string; subject: string; data?: unknown },
  { ageSeconds = 0 }: { ageSeconds?: number } = {},
): Promise<EventEnvelope> {
  const envelope = buildEnvelope({
    ...event,
    data: event.data ?? {},
    time: new Date(Date.now() - ageSeconds * 1000),
  });
  await sql(
    databaseUrl,
    `INSERT INTO "${schema}".outbox (id, type, subject, occurred_at, envelope, created_at)
     VALUES ($1, $2, $3, $4, $5, clock_timestamp() - make_interval(secs => $6))`,
    [envelope.id, envelope.type, envelope.subject, envelope.time, envelope, ageSeconds],
  );
  return envelope;
}
