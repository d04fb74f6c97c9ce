/**
 * The same-work chain's dispatcher: claims due deliveries with FOR UPDATE SKIP LOCKED (so any
 * number of dispatchers can run), signs each per Standard Webhooks, POSTs it with at most
 * CONCURRENCY in flight, and records each attempt with the delivery's new status, group-committed:
 * one statement for every attempt that finished while the previous one was being written.
 * A claim that outlives a crashed dispatcher runs out and is released, so the delivery is sent
 * again: at least once, with the same webhook-id.
 */
import { createHmac } from 'node:crypto';
import { Client, Pool } from 'pg';
import { Agent, request } from 'undici';
import { DELIVERIES_DUE_CHANNEL } from './deliveries-due-channel';
import { GroupCommit } from './group-commit';
import { INDEX_PLANS, onTerminate, roleEnvironment } from './role-environment';

const { databaseUrl } = roleEnvironment();
// The platform's per-endpoint limit (WEBHOOK_ENDPOINT_CONCURRENCY), its timeout and its schedule.
const CONCURRENCY = 16;
const TIMEOUT_MS = 15_000;
const RETRY_DELAYS_S = [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 86_400, 86_400];
/** Deliveries claimed ahead of the free slots, so a slot never waits for a claim's round trip. */
const CLAIM_WINDOW = CONCURRENCY * 4;
const CLAIM_SECONDS = 60;
const POLL_MS = 1_000;
const RESPONSE_EXCERPT_BYTES = 4096;

const CLAIM_DUE = `UPDATE notifications.deliveries d SET claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
  FROM (
    SELECT id FROM notifications.deliveries
    WHERE status IN ('pending', 'failed') AND claimed_until IS NULL AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
  ) due, notifications.endpoints e
  WHERE d.id = due.id AND e.id = d.endpoint_id AND e.enabled
  RETURNING d.id, d.event_id, d.envelope::text AS body, d.attempts, e.url, e.secret, e.previous_secret,
    e.previous_secret_expires_at`;

const RECORD_ATTEMPTS = `WITH r AS (
    SELECT * FROM json_to_recordset($1::json) AS r(delivery_id uuid, attempted_at timestamptz, status_code integer,
      duration_ms integer, error text, response_excerpt text, status text, next_attempt_at timestamptz)
  ), attempts AS (
    INSERT INTO notifications.delivery_attempts
      (delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt)
    SELECT delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt FROM r
  )
  UPDATE notifications.deliveries d
  SET status = r.status, attempts = d.attempts + 1, last_status_code = r.status_code, last_error = r.error,
    next_attempt_at = r.next_attempt_at, claimed_until = NULL, updated_at = now()
  FROM r WHERE d.id = r.delivery_id`;

/** Claims whose dispatcher died before recording them. */
const RELEASE_EXPIRED = `UPDATE notifications.deliveries SET claimed_until = NULL
  WHERE status IN ('pending', 'failed') AND claimed_until IS NOT NULL AND claimed_until < now()`;

interface Claimed {
  id: string;
  event_id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

interface Attempt {
  delivery_id: string;
  attempted_at: Date;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
  status: 'succeeded' | 'failed' | 'dead';
  next_attempt_at: Date | null;
}

const pool = new Pool({ connectionString: databaseUrl, max: 4, options: INDEX_PLANS });
const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
const waiting: Claimed[] = [];
let inFlight = 0;
let claiming = false;
let claimAgain = false;

const records = new GroupCommit<Attempt>(async (batch) => {
  await pool.query({ name: 'record-attempts', text: RECORD_ATTEMPTS, values: [JSON.stringify(batch)] });
}, 500);

function signature(delivery: Claimed, timestamp: number): string {
  const signed = `${delivery.event_id}.${timestamp}.${delivery.body}`;
  const secrets = [delivery.secret];
  if (
    delivery.previous_secret &&
    delivery.previous_secret_expires_at &&
    delivery.previous_secret_expires_at > new Date()
  ) {
    secrets.push(delivery.previous_secret);
  }
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    })
    .join(' ');
}

async function attempt(delivery: Claimed): Promise<Attempt> {
  const attemptedAt = new Date();
  const timestamp = Math.floor(attemptedAt.getTime() / 1000);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let excerpt: string | null = null;
  try {
    const response = await request(delivery.url, {
      method: 'POST',
      body: delivery.body,
      dispatcher: agent,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      headers: {
        'content-type': 'application/json',
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature(delivery, timestamp),
      },
    });
    statusCode = response.statusCode;
    excerpt = (await response.body.text()).slice(0, RESPONSE_EXCERPT_BYTES);
  } catch (failure) {
    error = (failure as Error).message.slice(0, 1000);
  }
  const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const delay = RETRY_DELAYS_S[delivery.attempts];
  const jitter = 0.8 + Math.random() * 0.4;
  return {
    delivery_id: delivery.id,
    attempted_at: attemptedAt,
    status_code: statusCode,
    duration_ms: Math.round(performance.now() - started),
    error,
    response_excerpt: excerpt,
    status: succeeded ? 'succeeded' : delay === undefined ? 'dead' : 'failed',
    next_attempt_at: succeeded || delay === undefined ? null : new Date(Date.now() + delay * 1000 * jitter),
  };
}

function sendWaiting(): void {
  while (inFlight < CONCURRENCY && waiting.length > 0) {
    const delivery = waiting.shift() as Claimed;
    inFlight++;
    void attempt(delivery).then((outcome) => {
      inFlight--;
      records.add(outcome);
      sendWaiting();
      if (waiting.length < CONCURRENCY) void claimMore();
    });
  }
}

/** Claims up to the window; one claim at a time, again at once if a claim came back full. */
async function claimMore(): Promise<void> {
  if (claiming) {
    claimAgain = true;
    return;
  }
  claiming = true;
  try {
    do {
      claimAgain = false;
      const room = CLAIM_WINDOW - waiting.length - inFlight;
      if (room <= 0) break;
      const { rows } = await pool.query<Claimed>({ name: 'claim-due', text: CLAIM_DUE, values: [room] });
      waiting.push(...rows);
      sendWaiting();
      if (rows.length === room) claimAgain = true;
    } while (claimAgain);
  } finally {
    claiming = false;
  }
}

async function main(): Promise<void> {
  const listener = new Client({ connectionString: databaseUrl, application_name: 'same-work-dispatcher' });
  await listener.connect();
  listener.on('notification', () => void claimMore());
  await listener.query(`LISTEN ${DELIVERIES_DUE_CHANNEL}`);
  const poll = setInterval(() => {
    void pool.query(RELEASE_EXPIRED).then(() => claimMore());
  }, POLL_MS);
  await claimMore();
  onTerminate(async () => {
    clearInterval(poll);
    await listener.end();
    await agent.close();
    await pool.end();
  });
}

main().catch((error: Error) => {
  process.stderr.write(`dispatcher: ${error.stack}\n`);
  process.exit(1);
});
