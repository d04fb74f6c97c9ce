/**
 * The same-work chain's API: POST /transactions with the ledger's rules, in 4 round trips on one
 * pooled connection: BEGIN; lock the account (named statement); one statement that inserts the
 * transaction, moves the balance and its version, and appends both events to the outbox; COMMIT.
 * The relay (its own process) publishes the outbox.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { onTerminate, roleEnvironment } from './role-environment';
import { FieldError, TransactionRequest, validateTransactionRequest } from './transaction-request';

const { databaseUrl, port, apiKey } = roleEnvironment();
// The platform's DATABASE_POOL_SIZE default.
const pool = new Pool({ connectionString: databaseUrl, max: 20 });
const expectedAuthorization = Buffer.from(`Bearer ${apiKey}`);
const MAX_BODY_BYTES = 1024 * 1024;

const LOCK_ACCOUNT = `SELECT currency, balance::text AS balance, balance_version FROM transactions.accounts
  WHERE id = $1 FOR UPDATE`;

/** Transaction, balance and version, and the two events, in one statement. */
const WRITE_COMPLETED = `WITH inserted AS (
    INSERT INTO transactions.transactions
      (id, account_id, type, amount, currency, status, description, metadata, created_at, updated_at)
    VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8, $9, $9)
  ), balance AS (
    UPDATE transactions.accounts
    SET balance = balance + $10::bigint, balance_version = balance_version + 1, updated_at = $9 WHERE id = $2
  )
  INSERT INTO transactions.outbox (id, type, subject, occurred_at, envelope)
  SELECT * FROM unnest($11::uuid[], $12::text[], $13::text[], $14::timestamptz[], $15::jsonb[])`;

/** A pending transaction moves no balance: the transaction and its one event. */
const WRITE_PENDING = `WITH inserted AS (
    INSERT INTO transactions.transactions
      (id, account_id, type, amount, currency, status, description, metadata, created_at, updated_at)
    VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8, $9, $9)
  )
  INSERT INTO transactions.outbox (id, type, subject, occurred_at, envelope)
  SELECT * FROM unnest($10::uuid[], $11::text[], $12::text[], $13::timestamptz[], $14::jsonb[])`;

/** A request the API answers with a problem (4xx), rolled back before anything was written. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

const envelope = (type: string, subject: string, time: string, data: unknown) => ({
  specversion: '1.0',
  id: randomUUID(),
  source: '/transactions',
  type,
  subject,
  time,
  datacontenttype: 'application/json',
  data,
});

async function createTransaction(client: PoolClient, request: TransactionRequest) {
  const { rows } = await client.query<{ currency: string; balance: string; balance_version: number }>({
    name: 'lock-account',
    text: LOCK_ACCOUNT,
    values: [request.accountId],
  });
  const account = rows[0];
  if (!account) throw new Refusal(404, 'not-found', `No account ${request.accountId}`);
  if (account.currency !== request.currency) {
    throw new Refusal(422, 'currency-mismatch', `The account is in ${account.currency}`);
  }
  const at = new Date();
  const time = at.toISOString();
  const transaction = {
    id: randomUUID(),
    accountId: request.accountId,
    type: request.type,
    amount: request.amount,
    currency: request.currency,
    status: request.status,
    description: request.description,
    metadata: request.metadata,
    createdAt: time,
    updatedAt: time,
  };
  const row = [
    transaction.id,
    request.accountId,
    request.type,
    request.amount,
    request.currency,
    request.status,
    request.description,
    request.metadata,
    at,
  ];
  const events = [envelope('transaction.created', transaction.id, time, transaction)];
  if (request.status === 'pending') {
    await client.query({ name: 'write-pending', text: WRITE_PENDING, values: [...row, ...outboxColumns(events)] });
    return transaction;
  }
  const delta = BigInt(request.amount) * (request.type === 'deposit' || request.type === 'refund' ? 1n : -1n);
  const balance = BigInt(account.balance) + delta;
  if (balance < 0n) throw new Refusal(422, 'insufficient-funds', `The account has ${account.balance}`);
  // The row is locked: the new balance and version are known here without asking again.
  events.push(
    envelope('account.balance_updated', request.accountId, time, {
      accountId: request.accountId,
      balance: balance.toString(),
      currency: account.currency,
      version: account.balance_version + 1,
      transactionId: transaction.id,
    }),
  );
  await client.query({
    name: 'write-completed',
    text: WRITE_COMPLETED,
    values: [...row, delta.toString(), ...outboxColumns(events)],
  });
  return transaction;
}

function outboxColumns(events: ReturnType<typeof envelope>[]): unknown[] {
  return [
    events.map((e) => e.id),
    events.map((e) => e.type),
    events.map((e) => e.subject),
    events.map((e) => e.time),
    events.map((e) => JSON.stringify(e)),
  ];
}

async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function send(response: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function refuse(response: ServerResponse, refusal: Refusal): void {
  send(
    response,
    refusal.status,
    {
      type: `https://errors.bench.local/${refusal.code}`,
      title: refusal.code,
      status: refusal.status,
      detail: refusal.detail,
      ...(refusal.errors ? { errors: refusal.errors } : {}),
    },
    'application/problem+json',
  );
}

function authorized(request: IncomingMessage): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  return given.length === expectedAuthorization.length && timingSafeEqual(given, expectedAuthorization);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, 'payload-too-large', 'The body is over 1 MiB');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'validation-failed', 'The body is not JSON', [{ field: '', message: 'must be JSON' }]);
  }
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST' || request.url !== '/transactions') {
    throw new Refusal(404, 'not-found', 'No such route');
  }
  if (!authorized(request)) throw new Refusal(401, 'unauthorized', 'A valid API key is required');
  const parsed = validateTransactionRequest(await readJson(request));
  if (Array.isArray(parsed)) throw new Refusal(400, 'validation-failed', 'The body is not valid', parsed);
  send(response, 201, await inTransaction((client) => createTransaction(client, parsed)));
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (error instanceof Refusal) return refuse(response, error);
    process.stderr.write(`api: ${(error as Error).stack}\n`);
    refuse(response, new Refusal(500, 'internal', 'Something went wrong'));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1');
onTerminate(async () => {
  await new Promise((resolve) => server.close(resolve));
  await pool.end();
});
