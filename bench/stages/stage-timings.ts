import { sql } from '@app/testing';
import type { Answer } from '../end-to-end/load-driver';
import { percentile, round } from '../end-to-end/statistics';

export const STAGES = ['api', 'relay', 'consumer', 'claim', 'post', 'total'] as const;
export type Stage = (typeof STAGES)[number];

/** What each stage measures, from which instant to which, for the report. */
export const STAGE_SPANS: Record<Stage, string> = {
  api: 'outbox row written (DB) -> 201 read by the bench',
  relay: 'outbox row written (DB) -> event on the tap queue',
  consumer: 'tap queue -> fan-out statement start (deliveries.created_at)',
  claim: 'deliveries.created_at -> first attempt (delivery_attempts.attempted_at)',
  post: 'attempted_at -> webhook arrival at the bench',
  total: '201 -> webhook arrival (bench clock only)',
};

export interface StageFigures {
  n: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

/** Database instants of one transaction's event, ms since the epoch. */
interface EventRow {
  tx: string;
  written: number;
  fannedOut: number;
  attempted: number;
}

/**
 * Each event's instants from the chain's own tables (both chains share the platform's schemas):
 * the outbox row's `created_at` (clock_timestamp() inside the ledger statement), the delivery's
 * `created_at` (now(), the start of the fan-out statement's transaction) and its first attempt's
 * `attempted_at` (the dispatcher's clock when it began the POST). One endpoint, so one delivery
 * per event.
 */
async function eventRows(databaseUrl: string, ids: string[]): Promise<Map<string, EventRow>> {
  const rows = await sql<EventRow>(
    databaseUrl,
    `SELECT o.envelope->'data'->>'id' AS tx,
            (extract(epoch FROM o.created_at) * 1000)::float8 AS written,
            (extract(epoch FROM d.created_at) * 1000)::float8 AS "fannedOut",
            (extract(epoch FROM min(a.attempted_at)) * 1000)::float8 AS attempted
       FROM transactions.outbox o
       JOIN notifications.deliveries d ON d.event_id = o.id::text
       JOIN notifications.delivery_attempts a ON a.delivery_id = d.id
      WHERE o.type = 'transaction.created' AND o.envelope->'data'->>'id' = ANY($1::text[])
      GROUP BY o.id, o.envelope, o.created_at, d.created_at`,
    [ids],
  );
  return new Map(rows.map((row) => [row.tx, row]));
}

/**
 * Per stage, p50/p90/p99 over the measured 201s whose webhook arrived. Bench instants are
 * performance.now() and become wall clock through performance.timeOrigin; the database runs on
 * this machine, so its timestamps are the same clock.
 */
export async function stageTimings(
  databaseUrl: string,
  answers: Answer[],
  tapped: Map<string, number>,
  webhookArrivedAt: Map<string, number>,
): Promise<Record<Stage, StageFigures>> {
  const rows = await eventRows(
    databaseUrl,
    answers.map((answer) => answer.id as string),
  );
  const spans = Object.fromEntries(STAGES.map((stage) => [stage, [] as number[]])) as Record<Stage, number[]>;
  for (const answer of answers) {
    const id = answer.id as string;
    const row = rows.get(id);
    const arrived = webhookArrivedAt.get(id);
    if (!row || arrived === undefined) continue;
    const answeredAt = performance.timeOrigin + answer.at;
    const arrivedAt = performance.timeOrigin + arrived;
    spans.api.push(answeredAt - row.written);
    spans.claim.push(row.attempted - row.fannedOut);
    spans.post.push(arrivedAt - row.attempted);
    spans.total.push(arrived - answer.at);
    const tappedAt = tapped.get(id);
    if (tappedAt !== undefined) {
      spans.relay.push(tappedAt - row.written);
      spans.consumer.push(row.fannedOut - tappedAt);
    }
  }
  return Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      {
        n: spans[stage].length,
        p50Ms: round(percentile(spans[stage], 50)),
        p90Ms: round(percentile(spans[stage], 90)),
        p99Ms: round(percentile(spans[stage], 99)),
      },
    ]),
  ) as Record<Stage, StageFigures>;
}
