import { loadConfig } from '@app/config';
import { EXCHANGES } from '@app/contracts';
import { AmqpProbe, ApiClient, createTestEnvironment, eventually, sql, startTestApp, useTestApp } from '@app/testing';
import { transactionsEnvSchema } from '../src/config';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appDefinition } from '../src/app.definition';

describe('Idempotency-Key on POST /transactions', () => {
  let otherKeyApi: ApiClient;

  const countFor = async (accountId: string) =>
    (
      await sql(setup.environment.databaseUrl, 'SELECT 1 FROM transactions.transactions WHERE account_id = $1', [
        accountId,
      ])
    ).length;

  const setup = useTestApp(appDefinition, { API_KEYS: 'key-a,key-b' }, 'key-a');

  beforeAll(async () => {
    otherKeyApi = new ApiClient(setup.app.url, 'key-b');
  });

  it('replays the first answer for the same key and body, and executes once', async () => {
    const account = await setup.api.openAccount();
    const key = randomUUID();
    const body = {
      accountId: account.id,
      type: 'deposit',
      amount: '250',
      currency: 'EUR',
      metadata: { a: '1', b: '2' },
    };
    const first = await setup.api.post('/transactions', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same body as parsed JSON, keys in another order.
    const reordered = {
      metadata: { b: '2', a: '1' },
      currency: 'EUR',
      amount: '250',
      type: 'deposit',
      accountId: account.id,
    };
    const second = await setup.api.post('/transactions', reordered, { 'Idempotency-Key': key });
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.text).toBe(first.text);
    expect(await setup.api.balance(account.id)).toBe('250');
    expect(await countFor(account.id)).toBe(1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const account = await setup.api.openAccount();
    const key = randomUUID();
    await setup.api.post(
      '/transactions',
      { accountId: account.id, type: 'deposit', amount: '1', currency: 'EUR' },
      { 'Idempotency-Key': key },
    );
    const response = await setup.api.post(
      '/transactions',
      { accountId: account.id, type: 'deposit', amount: '2', currency: 'EUR' },
      { 'Idempotency-Key': key },
    );
    expect(response.status).toBe(422);
    expect(response.body.type).toMatch(/idempotency-key-reused$/);
    expect(await countFor(account.id)).toBe(1);
  });

  it('lets exactly one of many concurrent requests with one key execute', async () => {
    const account = await setup.api.openAccount();
    const key = randomUUID();
    const body = { accountId: account.id, type: 'deposit', amount: '10', currency: 'EUR' };
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => setup.api.post('/transactions', body, { 'Idempotency-Key': key })),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expect(conflict.body.type).toMatch(/idempotency-key-in-use$/);
    }
    expect(await countFor(account.id)).toBe(1);
    expect(await setup.api.balance(account.id)).toBe('10');
  });

  it('stores and replays failures other than validation, even once they would succeed', async () => {
    const account = await setup.api.openAccount();
    const key = randomUUID();
    const body = { accountId: account.id, type: 'withdrawal', amount: '500', currency: 'EUR' };
    const first = await setup.api.post('/transactions', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(422);
    await setup.api.record({ accountId: account.id, type: 'deposit', amount: '1000' });
    const replay = await setup.api.post('/transactions', body, { 'Idempotency-Key': key });
    expect(replay.status).toBe(422);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replay.text).toBe(first.text);
    expect(await setup.api.balance(account.id)).toBe('1000');
  });

  it('stores a failure while it still holds the key: a request with the key meanwhile never runs the write', async () => {
    const account = await setup.api.openAccount();
    const key = { 'Idempotency-Key': randomUUID() };
    const withdrawal = { accountId: account.id, type: 'withdrawal', amount: '100', currency: 'EUR' };
    // Writes to the key table wait: the first request's failed answer is not stored yet.
    const blocker = new Client({ connectionString: setup.environment.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE transactions.idempotency_keys IN SHARE MODE');
      const first = setup.api.post('/transactions', withdrawal, key).then((response) => response);
      // The first request has failed its write and holds the key, waiting to store its answer.
      // (Asked on a connection of its own: within a transaction, pg_stat_activity is a snapshot.)
      await eventually(async () => {
        const [{ waiting }] = await sql<{ waiting: string }>(
          setup.environment.databaseUrl,
          `SELECT count(*) AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        expect(Number(waiting)).toBe(1);
      });
      // Now the withdrawal would succeed, if it ran again.
      expect((await setup.api.post('/transactions', { ...withdrawal, type: 'deposit' })).status).toBe(201);
      // The key is held: the same request is told so at once, and runs nothing.
      const second = await setup.api.post('/transactions', withdrawal, key);
      expect(second.status).toBe(409);
      await blocker.query('COMMIT');

      expect((await first).status).toBe(422);
      const retried = await setup.api.post('/transactions', withdrawal, key);
      expect(retried.status).toBe(422);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(await setup.api.balance(account.id)).toBe('100');
    } finally {
      await blocker.end();
    }
  });

  it('publishes the events of a request with a key at once, not at the next poll', async () => {
    // The write runs in a savepoint: its release is not the commit that wakes the relay.
    const environment = await createTestEnvironment();
    const app = await startTestApp(appDefinition, environment, { OUTBOX_POLL_INTERVAL_MS: '60000' });
    const amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
    try {
      await amqp.listen(EXCHANGES.transactions, 'transaction.*');
      const api = new ApiClient(app.url);
      const account = await api.openAccount();
      const body = { accountId: account.id, type: 'deposit', amount: '5', currency: 'EUR' };
      expect((await api.post('/transactions', body, { 'Idempotency-Key': randomUUID() })).status).toBe(201);
      await eventually(() => expect(amqp.bodies().map((event) => event.type)).toContain('transaction.created'), {
        timeoutMs: 5_000,
      });
    } finally {
      await amqp.close();
      await app.close();
      await environment.teardown();
    }
  });

  it('does not store validation failures: the key stays usable', async () => {
    const account = await setup.api.openAccount();
    const key = randomUUID();
    const bad = await setup.api.post(
      '/transactions',
      { accountId: account.id, type: 'deposit', amount: 'x', currency: 'EUR' },
      { 'Idempotency-Key': key },
    );
    expect(bad.status).toBe(400);
    const good = await setup.api.post(
      '/transactions',
      { accountId: account.id, type: 'deposit', amount: '3', currency: 'EUR' },
      { 'Idempotency-Key': key },
    );
    expect(good.status).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('scopes keys to the API key that sent them', async () => {
    const account = await setup.api.openAccount();
    const key = randomUUID();
    const body = { accountId: account.id, type: 'deposit', amount: '7', currency: 'EUR' };
    const a = await setup.api.post('/transactions', body, { 'Idempotency-Key': key });
    const b = await otherKeyApi.post('/transactions', body, { 'Idempotency-Key': key });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(a.body.id).not.toBe(b.body.id);
    expect(await setup.api.balance(account.id)).toBe('14');
  });

  it('refuses keys longer than 255 characters with 400', async () => {
    const account = await setup.api.openAccount();
    const response = await setup.api.post(
      '/transactions',
      { accountId: account.id, type: 'deposit', amount: '3', currency: 'EUR' },
      { 'Idempotency-Key': 'k'.repeat(256) },
    );
    expect(response.status).toBe(400);
    expect(await countFor(account.id)).toBe(0);
  });
});

describe('idempotency key retention', () => {
  it('forgets keys older than IDEMPOTENCY_KEY_RETENTION and keeps the rest', async () => {
    const environment = await createTestEnvironment();
    try {
      await (await startTestApp(appDefinition, environment)).close(); // migrations
      await sql(
        environment.databaseUrl,
        `INSERT INTO transactions.idempotency_keys (scope, key, request_hash, status_code, response_body, created_at)
         VALUES ('k', 'old', repeat('0', 64), 201, '{}', now() - interval '3 days'),
                ('k', 'recent', repeat('0', 64), 201, '{}', now() - interval '1 day')`,
      );
      const app = await startTestApp(appDefinition, environment, { IDEMPOTENCY_KEY_RETENTION: '2d' });
      try {
        await eventually(async () => {
          const rows = await sql(environment.databaseUrl, 'SELECT key FROM transactions.idempotency_keys');
          expect(rows.map((row) => row.key)).toEqual(['recent']);
        });
      } finally {
        await app.close();
      }
    } finally {
      await environment.teardown();
    }
  });

  it('refuses a retention shorter than the 24 hours the contract promises', () => {
    expect(() => loadConfig(transactionsEnvSchema, { IDEMPOTENCY_KEY_RETENTION: '12h' })).toThrow(
      /IDEMPOTENCY_KEY_RETENTION: expected at least 24h/,
    );
  });
});
