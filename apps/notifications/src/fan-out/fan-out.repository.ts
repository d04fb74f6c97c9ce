import type { EventEnvelope } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An event (by its index in the batch) to be delivered to an endpoint. */
export interface FanOutPair {
  eventIndex: number;
  endpointId: string;
}

@Injectable()
export class FanOutRepository {
  /**
   * Archives a batch of events and creates their pending deliveries in one statement: each
   * envelope travels once, and the deliveries name events by their index in the batch.
   */
  async archiveAndDeliver(manager: EntityManager, events: EventEnvelope[], pairs: FanOutPair[]): Promise<void> {
    await manager.query(
      `WITH events AS (
         SELECT (e.ordinality - 1)::int AS i, e.value AS envelope
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ordinality)
       ), archived AS (
         INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
         SELECT envelope->>'id', envelope->>'type', (envelope->>'time')::timestamptz, envelope FROM events
         ON CONFLICT (event_id) DO NOTHING
       )
       INSERT INTO notifications.deliveries
         (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at, created_at, updated_at)
       SELECT gen_random_uuid(), p.endpoint_id, ev.envelope->>'id', ev.envelope->>'type', ev.envelope,
         'pending', now(), now(), now()
       FROM unnest($2::int[], $3::uuid[]) AS p(i, endpoint_id) JOIN events ev ON ev.i = p.i`,
      [JSON.stringify(events), pairs.map((pair) => pair.eventIndex), pairs.map((pair) => pair.endpointId)],
    );
  }
}
