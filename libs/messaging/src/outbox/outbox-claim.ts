import type { EventEnvelope } from '@app/contracts';
import type { Client } from 'pg';

/** A pending outbox row as the relay claims it. */
export interface ClaimedRow {
  position: string;
  envelope: EventEnvelope;
  sequence: string;
  /** Seconds since the row was inserted, by the database's clock, as it was claimed. */
  age: number;
}

const comparePositions = (a: string, b: string): number => {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
};

/** The claim's name as a prepared statement on the relay's session. */
export const OUTBOX_CLAIM_STATEMENT = 'outbox-claim';

/**
 * The relay's statements on one app's outbox, on the relay's own session.
 *
 * One statement per batch: it marks the previous batch (confirmed by the broker) published, then
 * numbers the oldest pending rows and returns them with their envelopes. The sequence is stored
 * before the first publish, so a republish after a crash carries the same one; `nextval` in a
 * SELECT list is evaluated after that SELECT's ORDER BY, so sequences follow `position`, and a row
 * numbered before a crash keeps its number. The CTEs share one snapshot, so the batch leaves out
 * the rows being marked. Each row's age is read by the database's clock, the one that stamped
 * `created_at`, so the commit-to-publish figure does not depend on two clocks agreeing.
 */
export class OutboxClaim {
  private readonly table: string;
  readonly text: string;

  constructor(schema: string) {
    this.table = `"${schema}".outbox`;
    this.text = `WITH marked AS (
    UPDATE ${this.table} SET published_at = now() WHERE position = ANY($2::bigint[])
  ), batch AS (
    SELECT position, sequence FROM ${this.table}
    WHERE published_at IS NULL AND position <> ALL($2::bigint[])
    ORDER BY position LIMIT $1
  ), numbered AS (
    SELECT position, COALESCE(sequence, nextval('"${schema}".outbox_sequence')) AS sequence FROM batch ORDER BY position
  )
  UPDATE ${this.table} o SET sequence = n.sequence FROM numbered n WHERE o.position = n.position
  RETURNING o.position, o.envelope, o.sequence::text AS sequence,
    extract(epoch FROM clock_timestamp() - o.created_at)::float8 AS age`;
  }

  /**
   * The claim has one right plan whatever the outbox's size or statistics: the previous batch
   * marked through the primary key; the next one read in order from the pending index, whose plain
   * index scan also flags the entries of published rows dead so that later scans skip them; and
   * numbered through the primary key row by row (a nested loop, never a join that reads the table).
   * Left to estimates (and with no ANALYZE since the outbox was nearly empty, say on a fresh
   * deploy or with autovacuum off) the generic plan fixed after five claims marks with a
   * sequential scan and keeps it for the session's life, its cost growing with the table (24 ms
   * a claim at 4,000 rows in bench:e2e); a plan made later reads the pending index as a bitmap,
   * which cannot flag dead entries and so visits every one left since the last vacuum (20 ms).
   */
  async prepareSession(client: Client): Promise<void> {
    await client.query(
      'SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off',
    );
  }

  /** Marks `confirmed` published and claims up to `limit` pending rows, in `position` order. */
  async next(client: Client, limit: number, confirmed: string[]): Promise<ClaimedRow[]> {
    const { rows } = await client.query<ClaimedRow>({
      name: OUTBOX_CLAIM_STATEMENT,
      text: this.text,
      values: [limit, confirmed],
    });
    // RETURNING follows no order; the claim numbered the rows in `position` order.
    return rows.sort((a, b) => comparePositions(a.position, b.position));
  }

  /** Marks the last confirmed batch published, when no claim follows (the leader lets go). */
  async markPublished(client: Client, positions: string[]): Promise<void> {
    if (positions.length === 0) return;
    await client.query(`UPDATE ${this.table} SET published_at = now() WHERE position = ANY($1::bigint[])`, [positions]);
  }
}
