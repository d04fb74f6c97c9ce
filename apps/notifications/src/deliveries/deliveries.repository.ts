import type { EventEnvelope } from '@app/contracts';
import { newestFirstPage, Page, PageCursors, toPage } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Ordering } from '../endpoints/endpoint.view';
import type { QueueTarget, WebhookTarget } from '../endpoints/target';
import { AttemptRow, AttemptView, DeliveryRow, DeliveryStatus, DeliveryView } from './delivery.view';
import { INSTANCE_LOCK_NAMESPACE } from './instance-lease';

/**
 * A claim that still holds: not run out, and not made by a process that has died (its instance
 * lock is gone). Claims from before instance keys (claimed_by NULL) hold until they run out.
 */
const CLAIM_HOLDS = `(d.claimed_until IS NOT NULL AND d.claimed_until >= now() AND (d.claimed_by IS NULL OR d.claimed_by IN (
  SELECT objid::bigint FROM pg_locks
  WHERE locktype = 'advisory' AND classid = ${INSTANCE_LOCK_NAMESPACE} AND objsubid = 2 AND granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))))`;

/** What an attempt needs of a claimed delivery and its target (a webhook or a queue). */
const CLAIMED_COLUMNS = `d.id, d.endpoint_id, d.event_id, d.envelope::text AS body, d.envelope->>'time' AS time,
  d.attempts, d.replay, e.ordering, e.queue, e.url, e.secret, e.previous_secret, e.previous_secret_expires_at, e.failing_since`;

/**
 * An open delivery whose endpoint orders by subject waits for every earlier open delivery of the
 * same endpoint and subject (in publish order, then arrival): one at a time per subject, and a
 * failing one holds back only its own subject until it succeeds or dies. Unordered deliveries
 * have no subject recorded, and the index behind this holds none of them.
 */
const EARLIER_OF_SUBJECT_OPEN = `(d.subject IS NOT NULL AND EXISTS (
  SELECT 1 FROM notifications.deliveries p
  WHERE p.endpoint_id = d.endpoint_id AND p.subject = d.subject AND p.status IN ('pending', 'failed')
    AND (p.sequence, p.created_at, p.id) < (d.sequence, d.created_at, d.id)))`;

/** The FROM and WHERE of a claim's due rows ($4: endpoints to skip; $5: the only ones, or null). */
const DUE_UNCLAIMED = `FROM notifications.deliveries d JOIN notifications.endpoints e ON e.id = d.endpoint_id AND e.enabled
  WHERE d.status IN ('pending', 'failed') AND d.claimed_until IS NULL AND d.next_attempt_at <= now()
    AND NOT (d.endpoint_id = ANY($4::uuid[])) AND ($5::uuid[] IS NULL OR d.endpoint_id = ANY($5::uuid[]))
    AND NOT ${EARLIER_OF_SUBJECT_OPEN}`;

const COLUMNS = `id, endpoint_id, event_id, event_type, envelope, status, attempts, last_status_code, last_error,
  next_attempt_at, created_at, updated_at`;

interface ClaimedCommon extends Pick<DeliveryRow, 'id' | 'endpoint_id' | 'event_id' | 'attempts'> {
  /** Made by a replay: sent with `webhook-replay: true` (a webhook) or `x-replay: true` (a queue). */
  replay: boolean;
  /** The envelope as JSON text, ready to send (never parsed here only to be serialised again). */
  body: string;
  /** `subject`: the next delivery of its subject waits for this one's outcome. */
  ordering: Ordering;
  /** The event's envelope `time`: when it was committed, for the end-to-end latency. */
  time: string;
  /** When this process claimed it (its clock): the claim lasts `claimMs` from here. */
  claimedAt: number;
}

/** A due delivery to a webhook endpoint, with what an attempt needs of the endpoint. */
export type ClaimedWebhookDelivery = ClaimedCommon & WebhookTarget;

/** A due delivery to a subscription's queue. */
export type ClaimedQueueDelivery = ClaimedCommon & QueueTarget;

export type ClaimedDelivery = ClaimedWebhookDelivery | ClaimedQueueDelivery;

export interface AttemptRecord {
  deliveryId: string;
  outcome: AttemptOutcome;
  next: { status: DeliveryStatus; nextAttemptAt: Date | null };
}

export interface AttemptOutcome {
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

@Injectable()
export class DeliveriesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * Pending deliveries, due now, in one statement: the rows travel as one JSON document, which
   * costs less to encode than an array parameter per column. They come due a microsecond apart
   * in the order given, so claims (earliest due first) take them in that order: a replay goes
   * out in publish order. Those of endpoints that order by subject record it (see
   * EARLIER_OF_SUBJECT_OPEN).
   */
  async insertFor(
    manager: EntityManager | undefined,
    deliveries: { endpointId: string; ordering?: Ordering; event: EventEnvelope }[],
    { replay = false }: { replay?: boolean } = {},
  ): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const rows = deliveries.map(({ endpointId, ordering, event }, index) => ({
      id: randomUUID(),
      endpoint_id: endpointId,
      event_id: event.id,
      event_type: event.type,
      envelope: event,
      subject: ordering === 'subject' ? (event.subject ?? null) : null,
      sequence: ordering === 'subject' ? (event.sequence ?? null) : null,
      ordinal: index,
    }));
    await (manager ?? this.dataSource).query(
      `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, subject, sequence, replay,
         status, next_attempt_at, created_at, updated_at)
       SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.envelope, d.subject, d.sequence::numeric, $2, 'pending',
         now() + make_interval(secs => d.ordinal / 1e6), now(), now()
       FROM json_to_recordset($1::json)
         AS d(id uuid, endpoint_id uuid, event_id text, event_type text, envelope json, subject text, sequence text,
           ordinal int)`,
      [JSON.stringify(rows), replay],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Claims due deliveries of enabled endpoints for `claimMs`, at most `perEndpoint` per endpoint
   * (or its own number in `rooms`), none of the endpoints in `skip` and, when `only` is given,
   * none but those. Several instances
   * can claim at once: the UPDATE re-checks the claim under the row lock, so a delivery is
   * claimed by one of them only. Live deliveries go before replayed ones, however long a replay
   * has been waiting: a replay of a million events takes what room live traffic leaves, so it
   * never starves it. A delivery of an ordered endpoint waits for the earlier ones of its subject.
   */
  async claimDue(options: {
    limit: number;
    perEndpoint: number;
    claimMs: number;
    /** This process's instance key (see InstanceLease). */
    claimedBy: number;
    skip?: string[];
    only?: string[];
    rooms?: Map<string, number>;
  }): Promise<ClaimedDelivery[]> {
    const claimedAt = Date.now();
    const [rows] = await this.dataSource.query<[Omit<ClaimedDelivery, 'claimedAt'>[], number]>(
      `WITH due AS (
         -- Unclaimed due rows, earliest first, live ones before replayed ones: two range scans of
         -- an index that holds only those (a claimed row waiting in a lane is not walked past).
         -- Claims that ran out unreported, and those of instances that died, are released by
         -- releaseStaleClaims and then found here.
         SELECT * FROM (
           (SELECT d.id, d.endpoint_id, d.replay, d.next_attempt_at ${DUE_UNCLAIMED} AND NOT d.replay
            ORDER BY d.next_attempt_at LIMIT $1 * 2)
           UNION ALL
           (SELECT d.id, d.endpoint_id, d.replay, d.next_attempt_at ${DUE_UNCLAIMED} AND d.replay
            ORDER BY d.next_attempt_at LIMIT $1 * 2)
         ) both_kinds ORDER BY replay, next_attempt_at LIMIT $1 * 2
       ), candidates AS (
         SELECT ranked.id FROM (
           SELECT id, endpoint_id, replay, next_attempt_at,
             row_number() OVER (PARTITION BY endpoint_id ORDER BY replay, next_attempt_at) AS rank
           FROM due
         ) ranked
         LEFT JOIN unnest($7::uuid[], $8::int[]) AS room(endpoint_id, size) ON room.endpoint_id = ranked.endpoint_id
         WHERE ranked.rank <= COALESCE(room.size, $2) ORDER BY ranked.replay, ranked.next_attempt_at LIMIT $1
       )
       UPDATE notifications.deliveries d SET claimed_until = now() + make_interval(secs => $3), claimed_by = $6
       FROM candidates c, notifications.endpoints e
       WHERE d.id = c.id AND e.id = d.endpoint_id
         AND NOT ${CLAIM_HOLDS} AND d.status IN ('pending', 'failed')
       RETURNING ${CLAIMED_COLUMNS}`,
      [
        options.limit,
        options.perEndpoint,
        options.claimMs / 1000,
        options.skip ?? [],
        options.only ?? null,
        options.claimedBy,
        [...(options.rooms?.keys() ?? [])],
        [...(options.rooms?.values() ?? [])],
      ],
    );
    return rows.map((row) => ({ ...row, claimedAt }) as ClaimedDelivery);
  }

  /** Claims one delivery of an enabled endpoint, due or not: a manual retry. */
  async claimById(id: string, claimMs: number, claimedBy: number): Promise<ClaimedDelivery[]> {
    const claimedAt = Date.now();
    const [rows] = await this.dataSource.query<[Omit<ClaimedDelivery, 'claimedAt'>[], number]>(
      `UPDATE notifications.deliveries d SET claimed_until = now() + make_interval(secs => $2), claimed_by = $3
       FROM notifications.endpoints e
       WHERE d.id = $1 AND e.id = d.endpoint_id AND e.enabled AND d.status IN ('pending', 'failed') AND NOT ${CLAIM_HOLDS}
       RETURNING ${CLAIMED_COLUMNS}`,
      [id, claimMs / 1000, claimedBy],
    );
    return rows.map((row) => ({ ...row, claimedAt }) as ClaimedDelivery);
  }

  /**
   * Releases the claims that ran out unreported and those of instances that died (nobody holds
   * their key), so their deliveries are claimed again at once. Answers how many.
   *
   * Claims read only unclaimed rows: walking the claims index on every claim instead, to find
   * the few that ran out, walked past an entry for every delivery ever handed off (each one
   * claimed, then finished), which only a vacuum removes.
   */
  async releaseStaleClaims(): Promise<number> {
    const [, released] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE notifications.deliveries d SET claimed_until = NULL
       WHERE d.status IN ('pending', 'failed') AND d.claimed_until IS NOT NULL
         AND (d.claimed_until < now() OR (d.claimed_by IS NOT NULL AND NOT ${CLAIM_HOLDS}))`,
    );
    return released;
  }

  /** Moves this process's claims to its new instance key (its lease had to be taken again). */
  async adoptClaims(fromKey: number, toKey: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.deliveries SET claimed_by = $2 WHERE claimed_by = $1 AND claimed_until >= now()`,
      [fromKey, toKey],
    );
  }

  /** Gives claimed deliveries back unattempted: any instance may claim them when they are due. */
  async release(ids: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE notifications.deliveries SET claimed_until = NULL WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
  }

  /**
   * Records attempts and each delivery's new state, releasing its claim: one statement for all
   * of them (one round trip, atomic on its own), in the caller's transaction when one is given.
   * The outcomes travel as one array per column: the planner then knows how many rows there are
   * and finds each delivery by its key. A JSON document (json_to_recordset) counts as 100 rows,
   * which made it hash-join against a scan of the whole delivery log, ever longer as it grows.
   */
  async recordAttempts(manager: EntityManager | undefined, records: AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    await (manager ?? this.dataSource).query(
      `WITH outcome AS (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[],
           $8::timestamptz[])
           AS o(delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt, status, next_attempt_at)
       ), attempt AS (
         INSERT INTO notifications.delivery_attempts (delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt)
         SELECT delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt FROM outcome
       )
       UPDATE notifications.deliveries d
       SET attempts = d.attempts + 1, status = o.status, next_attempt_at = o.next_attempt_at,
           last_status_code = o.status_code, last_error = o.error, claimed_until = NULL, updated_at = now()
       -- A delivery ended meanwhile (its endpoint disabled, or a duplicate attempt already
       -- succeeded) is not reopened; the attempt itself is still logged.
       FROM outcome o WHERE d.id = o.delivery_id AND d.status IN ('pending', 'failed')`,
      [
        records.map((record) => record.deliveryId),
        records.map((record) => record.outcome.attemptedAt),
        records.map((record) => record.outcome.statusCode),
        records.map((record) => record.outcome.durationMs),
        records.map((record) => record.outcome.error),
        records.map((record) => record.outcome.responseExcerpt),
        records.map((record) => record.next.status),
        records.map((record) => record.next.nextAttemptAt),
      ],
    );
  }

  /** Ends every open delivery of an endpoint that was disabled: nothing more will be attempted. */
  async killOpenDeliveries(manager: EntityManager, endpointId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE notifications.deliveries SET status = 'dead', next_attempt_at = NULL, last_error = $2, updated_at = now()
       WHERE endpoint_id = $1 AND status IN ('pending', 'failed')`,
      [endpointId, reason],
    );
  }

  async find(id: string): Promise<DeliveryRow | undefined> {
    const [row] = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM notifications.deliveries WHERE id = $1`,
      [id],
    );
    return row;
  }

  /**
   * A new attempt now, if the delivery's endpoint is enabled (otherwise nothing changes and the
   * answer is undefined). An open delivery is brought forward. A dead one that was attempted
   * becomes `failed` (its last attempt failed, and another is now due); a succeeded one, or one
   * that died unattempted (its endpoint was disabled), `pending`.
   */
  async retryNow(id: string): Promise<DeliveryRow | undefined> {
    const [rows] = await this.dataSource.query<[DeliveryRow[], number]>(
      // A claim that still holds is kept: that delivery is queued or being attempted right now,
      // and clearing it would let it be claimed, and sent, a second time alongside.
      `UPDATE notifications.deliveries d
       SET status = CASE WHEN d.status = 'failed' OR (d.status = 'dead' AND d.attempts > 0) THEN 'failed' ELSE 'pending' END,
           next_attempt_at = now(), updated_at = now(),
           claimed_until = CASE WHEN ${CLAIM_HOLDS} THEN d.claimed_until END
       WHERE d.id = $1 AND EXISTS (SELECT 1 FROM notifications.endpoints e WHERE e.id = d.endpoint_id AND e.enabled)
       RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  /** A delivery's attempts, oldest first, a page at a time. */
  async attempts(deliveryId: string, limit: number, cursor?: string): Promise<Page<AttemptView>> {
    const codec = await this.cursors.get();
    const after = cursor ? codec.decode(cursor, ['sequence']).sequence : null;
    const rows = await this.dataSource.query<AttemptRow[]>(
      `SELECT id::text, attempted_at, status_code, duration_ms, error, response_excerpt
       FROM notifications.delivery_attempts a
       WHERE delivery_id = $1 AND ($2::bigint IS NULL OR a.id > $2::bigint)
       ORDER BY a.id LIMIT $3`,
      [deliveryId, after, limit + 1],
    );
    return toPage(
      rows,
      limit,
      (row) => AttemptView.of(row),
      (row) => codec.encode({ sequence: row.id }),
    );
  }

  async list(
    endpointId: string,
    status: DeliveryStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<DeliveryView>> {
    return newestFirstPage(
      this.cursors,
      limit,
      cursor,
      (after, take) =>
        this.dataSource.query<DeliveryRow[]>(
          // Created by now(), to the microsecond: the cursor keeps it whole (see KeysetRow).
          `SELECT ${COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact
           FROM notifications.deliveries
           WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
             AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
           ORDER BY created_at DESC, id DESC LIMIT $5`,
          [endpointId, status ?? null, after.createdAt, after.id, take],
        ),
      (row) => DeliveryView.of(row),
    );
  }

  /**
   * For stall detection: deliveries of enabled endpoints overdue by more than `graceMs` and not
   * claimed by anyone, leaving out the endpoints in `heldBack` (a circuit breaker's, on purpose).
   */
  async overdueUnclaimed(graceMs: number, heldBack: string[] = []): Promise<number> {
    const [row] = await this.dataSource.query<{ count: string }[]>(
      // Two branches, each on its partial index (unclaimed due rows; claims), so readiness never
      // reads the whole delivery log.
      `SELECT count(*) FROM (
         SELECT d.endpoint_id FROM notifications.deliveries d
         WHERE d.status IN ('pending', 'failed') AND d.claimed_until IS NULL
           AND d.next_attempt_at < now() - make_interval(secs => $1)
           -- Waiting for an earlier delivery of its subject is waiting by design, not a stall.
           AND NOT ${EARLIER_OF_SUBJECT_OPEN}
         UNION ALL
         SELECT d.endpoint_id FROM notifications.deliveries d
         WHERE d.status IN ('pending', 'failed') AND d.claimed_until IS NOT NULL AND NOT ${CLAIM_HOLDS}
           AND d.next_attempt_at < now() - make_interval(secs => $1)
       ) overdue JOIN notifications.endpoints e ON e.id = overdue.endpoint_id AND e.enabled
       WHERE NOT (overdue.endpoint_id = ANY($2::uuid[]))`,
      [graceMs / 1000, heldBack],
    );
    return Number(row.count);
  }

  /**
   * How many deliveries are pending, failed (both still to be attempted) and dead. Three
   * branches, each on a partial index (unclaimed open rows; claimed open rows; dead rows): the
   * succeeded deliveries, nearly the whole log, are never read.
   */
  async countByStatus(): Promise<Record<'pending' | 'failed' | 'dead', number>> {
    const rows = await this.dataSource.query<{ status: 'pending' | 'failed' | 'dead'; count: number }[]>(
      `SELECT status, count(*)::int AS count FROM (
         SELECT status FROM notifications.deliveries WHERE status IN ('pending', 'failed') AND claimed_until IS NULL
         UNION ALL
         SELECT status FROM notifications.deliveries WHERE status IN ('pending', 'failed') AND claimed_until IS NOT NULL
         UNION ALL
         SELECT status FROM notifications.deliveries WHERE status = 'dead'
       ) counted GROUP BY status`,
    );
    const counts = { pending: 0, failed: 0, dead: 0 };
    for (const { status, count } of rows) counts[status] = count;
    return counts;
  }

  /** Deletes finished deliveries (and their attempts) older than the retention. */
  async prune(retentionMs: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM notifications.deliveries WHERE status IN ('succeeded', 'dead')
       AND updated_at < now() - make_interval(secs => $1)`,
      [retentionMs / 1000],
    );
  }
}
