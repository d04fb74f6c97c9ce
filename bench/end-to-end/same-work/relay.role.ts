/**
 * The same-work chain's outbox relay: numbers the oldest unpublished rows and returns them in one
 * statement, publishes them on a confirm channel, waits for the broker's confirms, then marks
 * them published. One relay publishes at a time (a session advisory lock), so order per account
 * holds and sequences rise in publish order, as the platform's /events promises. A crash between
 * publish and mark republishes the same ids and sequences: at least once, never lost.
 */
import amqplib from 'amqplib';
import { Client } from 'pg';
import { INDEX_PLANS, onTerminate, roleEnvironment } from './role-environment';

const { databaseUrl, rabbitmqUrl } = roleEnvironment();
const EXCHANGE = 'transactions.events';
// The platform's OUTBOX_BATCH_SIZE default.
const BATCH = 500;
/**
 * The relay runs in its own process, so the API cannot wake it in-process; a NOTIFY per commit
 * takes a global lock at commit time. An idle relay looks again after this long instead.
 */
const IDLE_POLL_MS = 5;

/**
 * `nextval` is evaluated after the ORDER BY of its own SELECT, so sequences follow `position`;
 * a row numbered before a crash keeps its number.
 */
const CLAIM_BATCH = `WITH batch AS (
    SELECT position, sequence FROM transactions.outbox WHERE published_at IS NULL ORDER BY position LIMIT $1
  ), numbered AS (
    SELECT position, COALESCE(sequence, nextval('transactions.outbox_sequence')) AS sequence
    FROM batch ORDER BY position
  )
  UPDATE transactions.outbox o SET sequence = n.sequence FROM numbered n WHERE o.position = n.position
  RETURNING o.position, o.type, o.envelope, o.sequence::text AS sequence`;

const MARK_PUBLISHED = 'UPDATE transactions.outbox SET published_at = now() WHERE position = ANY($1::bigint[])';

interface Row {
  position: string;
  type: string;
  envelope: { id: string };
  sequence: string;
}

async function main(): Promise<void> {
  const client = new Client({
    connectionString: databaseUrl,
    application_name: 'same-work-relay',
    options: INDEX_PLANS,
  });
  await client.connect();
  await client.query('SELECT pg_advisory_lock(hashtext($1))', ['outbox-relay:transactions']);
  const connection = await amqplib.connect(rabbitmqUrl, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  let running = true;
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  onTerminate(async () => {
    running = false;
    await done;
    await connection.close();
    await client.end();
  });
  while (running) {
    const { rows } = await client.query<Row>({ name: 'claim-batch', text: CLAIM_BATCH, values: [BATCH] });
    if (rows.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
      continue;
    }
    rows.sort((a, b) => Number(BigInt(a.position) - BigInt(b.position)));
    const timestamp = Math.floor(Date.now() / 1000);
    for (const row of rows) {
      channel.publish(EXCHANGE, row.type, Buffer.from(JSON.stringify({ ...row.envelope, sequence: row.sequence })), {
        persistent: true,
        contentType: 'application/cloudevents+json',
        messageId: row.envelope.id,
        type: row.type,
        appId: 'transactions',
        timestamp,
      });
    }
    // Rejects if the broker refused any of them: the process exits and nothing is marked.
    await channel.waitForConfirms();
    await client.query({ name: 'mark-published', text: MARK_PUBLISHED, values: [rows.map((row) => row.position)] });
  }
  stopped();
}

main().catch((error: Error) => {
  process.stderr.write(`relay: ${error.stack}\n`);
  process.exit(1);
});
