import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** An event (by its index in the batch) to be delivered to an endpoint. */
export interface FanOutPair {
  id: string;
  eventIndex: number;
  endpointId: string;
  /** Claimed at once by this instance (`claimedBy`), which attempts it without a claim query. */
  claimed: boolean;
  /** Its endpoint orders by subject: the delivery records its event's subject and sequence. */
  ordered: boolean;
}

@Injectable()
export class FanOutRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies a batch of events once each, in one statement (atomic on its own, so no transaction
   * of its own around it): records their ids in `consumer`'s inbox and, for the events not
   * applied before, archives them and creates their pending deliveries. Each envelope travels
   * once; the deliveries name events by their index in the batch. Those marked `claimed` are
   * claimed by this instance in the same statement. Answers, per event in order, whether this
   * call applied it: an id already in the inbox, or a second copy in the batch, is not (only the
   * first copy's deliveries are created). The deliveries come due a microsecond apart in batch
   * order, so claims (earliest due first) take them in the order the events arrived.
   *
   * This is Inbox.processBatch, its effects and the transaction around them folded into one
   * round trip: five statements per batch (BEGIN, inbox, archive and deliveries, COMMIT, and the
   * endpoints read) become two.
   */
  async applyBatch(
    consumer: string,
    /** The events' ids and envelopes as JSON, in batch order. */
    events: { id: string; body: string }[],
    pairs: FanOutPair[],
    claim: { claimedBy: number; claimMs: number },
  ): Promise<boolean[]> {
    const fresh: { event_id: string }[] = await this.dataSource.query(
      `WITH incoming AS (
         SELECT (e.ordinality - 1)::int AS i, e.value AS envelope
         FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, ordinality)
       ), fresh AS (
         INSERT INTO notifications.inbox (consumer, event_id) SELECT $8, envelope->>'id' FROM incoming
         ON CONFLICT DO NOTHING RETURNING event_id
       ), fresh_events AS (
         SELECT DISTINCT ON (envelope->>'id') i, envelope FROM incoming
         WHERE envelope->>'id' IN (SELECT event_id FROM fresh) ORDER BY envelope->>'id', i
       ), archived AS (
         INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
         SELECT envelope->>'id', envelope->>'type', (envelope->>'time')::timestamptz, envelope::jsonb FROM fresh_events
         ON CONFLICT (event_id) DO NOTHING
       ), delivered AS (
         INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, subject, sequence,
           status, next_attempt_at, claimed_until, claimed_by, created_at, updated_at)
         SELECT p.id, p.endpoint_id, ev.envelope->>'id', ev.envelope->>'type', ev.envelope,
           CASE WHEN p.ordered THEN ev.envelope->>'subject' END,
           CASE WHEN p.ordered THEN (ev.envelope->>'sequence')::numeric END,
           'pending', now() + make_interval(secs => p.i / 1e6),
           CASE WHEN p.claimed THEN now() + make_interval(secs => $6) END, CASE WHEN p.claimed THEN $7::int END,
           now(), now()
         FROM unnest($2::int[], $3::uuid[], $4::uuid[], $5::bool[], $9::bool[]) AS p(i, endpoint_id, id, claimed, ordered)
         JOIN fresh_events ev ON ev.i = p.i
       )
       SELECT event_id FROM fresh`,
      [
        `[${events.map((event) => event.body).join(',')}]`,
        pairs.map((pair) => pair.eventIndex),
        pairs.map((pair) => pair.endpointId),
        pairs.map((pair) => pair.id),
        pairs.map((pair) => pair.claimed),
        claim.claimMs / 1000,
        claim.claimedBy,
        consumer,
        pairs.map((pair) => pair.ordered),
      ],
    );
    const applied = new Set(fresh.map((row) => row.event_id));
    // Set.delete is true once per id: the first copy of each new event is the one applied.
    return events.map((event) => applied.delete(event.id));
  }
}
