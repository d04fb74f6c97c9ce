/**
 * The same-work chain's notifications consumer: every event in batches; per batch the enabled
 * endpoints are read, then one statement (atomic on its own) records the ids in the inbox and,
 * for the events not seen before, archives them (what replay reads) and creates one pending
 * delivery per matching endpoint, and wakes the dispatcher with one NOTIFY per batch. Acked
 * after it commits.
 */
import { Pool } from 'pg';
import { consumeInBatches } from './consumer';
import { DELIVERIES_DUE_CHANNEL } from './deliveries-due-channel';
import { onTerminate, roleEnvironment } from './role-environment';
import { topicMatches } from './topic-pattern';

const { databaseUrl, rabbitmqUrl } = roleEnvironment();
const QUEUE = 'notifications.deliveries';
const pool = new Pool({ connectionString: databaseUrl, max: 2 });

interface Event {
  /** The envelope as received: deliveries send these bytes. */
  body: string;
  type: string;
}

const ENABLED_ENDPOINTS = 'SELECT id, event_types FROM notifications.endpoints WHERE enabled';

const APPLY_BATCH = `WITH incoming AS (
    SELECT (e.ordinality - 1)::int AS i, e.value AS envelope
    FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, ordinality)
  ), fresh AS (
    INSERT INTO notifications.inbox (consumer, event_id) SELECT '${QUEUE}', envelope->>'id' FROM incoming
    ON CONFLICT DO NOTHING RETURNING event_id
  ), fresh_events AS (
    SELECT DISTINCT ON (envelope->>'id') i, envelope FROM incoming
    WHERE envelope->>'id' IN (SELECT event_id FROM fresh) ORDER BY envelope->>'id', i
  ), archived AS (
    INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
    SELECT envelope->>'id', envelope->>'type', (envelope->>'time')::timestamptz, envelope::jsonb FROM fresh_events
    ON CONFLICT (event_id) DO NOTHING
  ), delivered AS (
    INSERT INTO notifications.deliveries
      (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at, created_at, updated_at)
    SELECT gen_random_uuid(), p.endpoint_id, ev.envelope->>'id', ev.envelope->>'type', ev.envelope, 'pending',
      now(), now(), now()
    FROM unnest($2::int[], $3::uuid[]) AS p(i, endpoint_id) JOIN fresh_events ev ON ev.i = p.i
    RETURNING 1
  )
  SELECT pg_notify('${DELIVERIES_DUE_CHANNEL}', '') FROM (SELECT count(*) AS n FROM delivered) c WHERE c.n > 0`;

consumeInBatches<Event>({
  rabbitmqUrl,
  queue: QUEUE,
  // The platform's prefetch and batch for this queue.
  prefetch: 1000,
  maxBatch: 250,
  parse: (message) => {
    const body = message.content.toString('utf8');
    const { id, type } = JSON.parse(body) as { id?: unknown; type?: unknown };
    if (typeof id !== 'string' || typeof type !== 'string') throw new Error('not an event envelope');
    return { body, type };
  },
  apply: async (events) => {
    const { rows: endpoints } = await pool.query<{ id: string; event_types: string[] | null }>({
      name: 'enabled-endpoints',
      text: ENABLED_ENDPOINTS,
    });
    const pairs = events.flatMap((event, index) =>
      endpoints
        .filter((endpoint) => !endpoint.event_types || endpoint.event_types.some((p) => topicMatches(p, event.type)))
        .map((endpoint) => ({ index, endpoint: endpoint.id })),
    );
    await pool.query({
      name: 'apply-batch',
      text: APPLY_BATCH,
      values: [
        `[${events.map((event) => event.body).join(',')}]`,
        pairs.map((p) => p.index),
        pairs.map((p) => p.endpoint),
      ],
    });
  },
}).then(
  (close) =>
    onTerminate(async () => {
      await close();
      await pool.end();
    }),
  (error: Error) => {
    process.stderr.write(`notifications: ${error.stack}\n`);
    process.exit(1);
  },
);
