import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An event (by its index in the batch) to be delivered to an endpoint. */
export interface FanOutPair {
  id: string;
  eventIndex: number;
  endpointId: string;
  /** Claimed at once by this instance (`claimedBy`), which attempts it without a claim query. */
  claimed: boolean;
}

@Injectable()
export class FanOutRepository {
  /**
   * Archives a batch of events and creates their pending deliveries in one statement: each
   * envelope travels once, and the deliveries name events by their index in the batch. Those
   * marked `claimed` are claimed by this instance in the same statement.
   */
  async archiveAndDeliver(
    manager: EntityManager,
    /** The events' envelopes as JSON, in batch order. */
    bodies: string[],
    pairs: FanOutPair[],
    claim: { claimedBy: number; claimMs: number },
  ): Promise<void> {
    await manager.query(
      `WITH events AS (
         SELECT (e.ordinality - 1)::int AS i, e.value AS envelope
         FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, ordinality)
       ), archived AS (
         INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
         SELECT envelope->>'id', envelope->>'type', (envelope->>'time')::timestamptz, envelope::jsonb FROM events
         ON CONFLICT (event_id) DO NOTHING
       )
       INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status,
         next_attempt_at, claimed_until, claimed_by, created_at, updated_at)
       SELECT p.id, p.endpoint_id, ev.envelope->>'id', ev.envelope->>'type', ev.envelope, 'pending', now(),
         CASE WHEN p.claimed THEN now() + make_interval(secs => $6) END, CASE WHEN p.claimed THEN $7::int END,
         now(), now()
       FROM unnest($2::int[], $3::uuid[], $4::uuid[], $5::bool[]) AS p(i, endpoint_id, id, claimed)
       JOIN events ev ON ev.i = p.i`,
      [
        `[${bodies.join(',')}]`,
        pairs.map((pair) => pair.eventIndex),
        pairs.map((pair) => pair.endpointId),
        pairs.map((pair) => pair.id),
        pairs.map((pair) => pair.claimed),
        claim.claimMs / 1000,
        claim.claimedBy,
      ],
    );
  }
}
