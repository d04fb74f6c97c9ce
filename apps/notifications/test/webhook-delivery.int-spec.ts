import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  ApiClient,
  catalogueEvent,
  createTestEnvironment,
  expectCatalogueEvent,
  eventually,
  RunningTestApp,
  sql,
  startTestApp,
  TestEnvironment,
  WebhookReceiver,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { appDefinition } from '../src/app.definition';
import { DeliveryDispatcher } from '../src/deliveries/delivery-dispatcher';

const SETTINGS = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_SCHEDULE: '200ms,400ms',
  WEBHOOK_TIMEOUT_MS: '2000',
};

/** The default WEBHOOK_ENDPOINT_CONCURRENCY. */
const PER_ENDPOINT_CONCURRENCY = 16;

describe('webhook delivery', () => {
  let environment: TestEnvironment;
  let app: RunningTestApp;
  let api: ApiClient;
  let amqp: AmqpProbe;
  const receivers: WebhookReceiver[] = [];

  const receiver = async () => {
    const started = await WebhookReceiver.start();
    receivers.push(started);
    return started;
  };
  const subscribe = async (url: string, eventTypes?: string[]) => {
    const response = await api.post('/webhooks', { url, ...(eventTypes ? { eventTypes } : {}) });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string };
  };
  const deliveries = async (endpointId: string, status?: string) =>
    (await api.get(`/webhooks/${endpointId}/deliveries`, status ? { status } : {})).body.data as {
      id: string;
      eventId: string;
      status: string;
      attempts: number;
      lastStatusCode: number | null;
      lastError: string | null;
      nextAttemptAt: string | null;
    }[];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(appDefinition, environment, SETTINGS);
    api = new ApiClient(app.url);
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
    await amqp.listen(EXCHANGES.notifications, 'webhook.*');
  });

  afterAll(async () => {
    await amqp?.close();
    await app?.close();
    for (const started of receivers) await started.close();
    await environment?.teardown();
  });

  it('POSTs every event as a signed CloudEvent that the Standard Webhooks library verifies', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url);
    const event = catalogueEvent('transaction.created');
    amqp.publishEvent(EXCHANGES.transactions, event);
    await eventually(() => expect(hooks.received).toHaveLength(1));
    const [request] = hooks.received;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe(event.id);
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    const verified = new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>);
    expect(verified).toEqual(event);
    await eventually(async () =>
      expect((await deliveries(endpoint.id))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        lastStatusCode: 204,
      }),
    );
    const [delivery] = await deliveries(endpoint.id);
    const attempts = (await api.get(`/deliveries/${delivery.id}/attempts`)).body.data;
    expect(attempts).toEqual([
      expect.objectContaining({ statusCode: 204, durationMs: expect.any(Number), error: null }),
    ]);
  });

  it('delivers only events matching the endpoint filters, from every exchange', async () => {
    const hooks = await receiver();
    await subscribe(hooks.url, ['campaign.*', 'account.#']);
    const campaign = catalogueEvent('campaign.paused');
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    amqp.publishEvent(EXCHANGES.adEngine, campaign);
    const balance = catalogueEvent('account.balance_updated');
    amqp.publishEvent(EXCHANGES.transactions, balance);
    await eventually(() =>
      expect(hooks.received.map((r) => r.headers['webhook-id']).sort()).toEqual([campaign.id, balance.id].sort()),
    );
    // Each message was handled once: bound to three exchanges, the queue still has one handler.
    expect((await api.get('/metrics')).text).not.toMatch(/^inbox_duplicates_total\{[^}]*\} [1-9]/m);
  });

  it('delivers, and replays, only what the content filter matches', async () => {
    const hooks = await receiver();
    const filter = { data: { currency: ['EUR'], amount: [{ numeric: ['>', 1000] }] }, subject: [{ exists: true }] };
    const created = await api.post('/webhooks', { url: hooks.url, eventTypes: ['transaction.created'], filter });
    expect(created.status).toBe(201);
    expect(created.body.filter).toEqual(filter);
    const wanted = catalogueEvent('transaction.created', { currency: 'EUR', amount: '1001' });
    for (const event of [catalogueEvent('transaction.created', { currency: 'EUR', amount: '1000' }), wanted]) {
      amqp.publishEvent(EXCHANGES.transactions, event);
    }
    await eventually(() => expect(hooks.received.map((r) => r.headers['webhook-id'])).toEqual([wanted.id]));
    const replay = await api.post(`/webhooks/${created.body.id}/replay`, { since: wanted.time });
    expect(replay.body).toEqual({ replayed: 1 });
    await eventually(() => expect(hooks.received.map((r) => r.headers['webhook-id'])).toEqual([wanted.id, wanted.id]));
    const refused = await api.patch(`/webhooks/${created.body.id}`, {
      filter: { data: { amount: [{ numeric: ['>'] }] } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toMatch(/^filter\.data\.amount\[0\]\.numeric/);
  });

  it('keeps delivering when an endpoint holds a hostile pattern stored before patterns were checked', async () => {
    const hostile = await receiver();
    const plain = await receiver();
    const { id } = await subscribe(hostile.url, ['transaction.created']);
    // '#.' x 8000 then a word: a backtracking matcher overflowed the stack on it, and every event
    // went to the DLQ instead of to any endpoint.
    await sql(environment.databaseUrl, 'UPDATE notifications.endpoints SET event_types = $1 WHERE id = $2', [
      ['#.'.repeat(8000) + 'zz', '#.'.repeat(8000) + 'created'],
      id,
    ]);
    await subscribe(plain.url, ['transaction.*']);
    const event = catalogueEvent('transaction.created');
    amqp.publishEvent(EXCHANGES.transactions, event);
    await eventually(() => expect(plain.received.map((r) => r.headers['webhook-id'])).toEqual([event.id]));
    await eventually(() => expect(hostile.received.map((r) => r.headers['webhook-id'])).toEqual([event.id]));
  });

  it('retries failures with the same webhook-id until one succeeds', async () => {
    const hooks = await receiver();
    hooks.behaviour = (_, index) => (index < 2 ? { status: 500, body: 'try again' } : { status: 200, body: 'ok' });
    const endpoint = await subscribe(hooks.url);
    const event = catalogueEvent('transaction.created');
    amqp.publishEvent(EXCHANGES.transactions, event);
    await eventually(() => expect(hooks.received).toHaveLength(3));
    expect(new Set(hooks.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([event.id]));
    await eventually(async () =>
      expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'succeeded', attempts: 3 }),
    );
    const attempts = (await api.get(`/deliveries/${(await deliveries(endpoint.id))[0].id}/attempts`)).body.data;
    expect(attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    expect(attempts[0].responseExcerpt).toBe('try again');
  });

  it('sends the same bytes on every attempt of a delivery, as the event was published', async () => {
    const hooks = await receiver();
    hooks.behaviour = (_request, index) => ({ status: index === 0 ? 503 : 204 });
    await subscribe(hooks.url);
    const published = catalogueEvent('transaction.created');
    amqp.publishEvent(EXCHANGES.transactions, published);
    await eventually(() => expect(hooks.received).toHaveLength(2));
    expect(hooks.received[1].body).toBe(hooks.received[0].body);
    expect(hooks.received[0].body).toBe(JSON.stringify(published));
  });

  it('declares a delivery dead after the last attempt, and a manual retry attempts it again', async () => {
    const hooks = await receiver();
    hooks.behaviour = { status: 503, body: 'x'.repeat(10_000) };
    const endpoint = await subscribe(hooks.url);
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    await eventually(async () => expect(await deliveries(endpoint.id, 'dead')).toHaveLength(1));
    const [dead] = await deliveries(endpoint.id, 'dead');
    expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 503, nextAttemptAt: null });
    expect(hooks.received).toHaveLength(3);
    const attempts = (await api.get(`/deliveries/${dead.id}/attempts`)).body.data as {
      attemptedAt: string;
      responseExcerpt: string;
    }[];
    expect(attempts[0].responseExcerpt.length).toBe(4096);
    // A list like any other: pages (oldest first), and unknown parameters refused.
    const first = (await api.get(`/deliveries/${dead.id}/attempts`, { limit: 2 })).body;
    expect(first.data).toHaveLength(2);
    const rest = (await api.get(`/deliveries/${dead.id}/attempts`, { limit: 2, cursor: first.nextCursor })).body;
    expect(rest).toMatchObject({ data: [expect.objectContaining({ statusCode: 503 })], nextCursor: null });
    expect([...first.data, ...rest.data].map((a: { attemptedAt: string }) => a.attemptedAt)).toEqual(
      attempts.map((a) => a.attemptedAt),
    );
    expect((await api.get(`/deliveries/${dead.id}/attempts`, { foo: 1 })).status).toBe(400);
    hooks.behaviour = { status: 200 };
    const retried = await api.post(`/deliveries/${dead.id}/retry`, {});
    expect(retried.status).toBe(202);
    // Its last attempt failed and another is due: `failed`, not `pending` (never tried).
    expect(retried.body).toMatchObject({ status: 'failed', attempts: 3 });
    await eventually(async () =>
      expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'succeeded', attempts: 4 }),
    );
  });

  it('reopens as pending a dead delivery that was never attempted (its endpoint was disabled)', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url);
    const published = catalogueEvent('transaction.created');
    const id = randomUUID();
    await sql(
      environment.databaseUrl,
      `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, attempts,
         last_error, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'dead', 0, 'endpoint disabled: gone', now(), now())`,
      [id, endpoint.id, published.id, published.type, JSON.stringify(published)],
    );
    const retried = await api.post(`/deliveries/${id}/retry`, {});
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    await eventually(() => expect(hooks.received.map((r) => r.headers['webhook-id'])).toEqual([published.id]));
  });

  it('does not send a delivery twice at once when a manual retry arrives while it is being attempted', async () => {
    const hooks = await receiver();
    hooks.behaviour = { status: 200, delayMs: 1_000 };
    const endpoint = await subscribe(hooks.url);
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    await eventually(() => expect(hooks.received).toHaveLength(1));
    const [inFlight] = await deliveries(endpoint.id);

    expect((await api.post(`/deliveries/${inFlight.id}/retry`, {})).status).toBe(202);

    await eventually(async () => expect((await deliveries(endpoint.id))[0].status).toBe('succeeded'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hooks.received).toHaveLength(1);
  });

  it('records a success whose answer is binary (NUL bytes, a cut multi-byte character)', async () => {
    const hooks = await receiver();
    hooks.behaviour = { status: 200, body: `\u0000\u0001gzip?\u0000${'é'.repeat(3_000)}` };
    const endpoint = await subscribe(hooks.url);
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    const [delivery] = await eventually(async () => {
      const found = await deliveries(endpoint.id, 'succeeded');
      expect(found).toHaveLength(1);
      return found;
    });
    const [attempt] = (await api.get(`/deliveries/${delivery.id}/attempts`)).body.data;
    expect(attempt.responseExcerpt).not.toContain('\u0000');
    expect(attempt.responseExcerpt.startsWith('\u0001gzip?')).toBe(true);
  });

  it('sends nothing more to an endpoint once it is disabled, not even what was already claimed', async () => {
    const hooks = await receiver();
    hooks.behaviour = { status: 204, delayMs: 100 };
    const endpoint = await subscribe(hooks.url);
    for (let i = 0; i < 400; i++) amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    // Bounded generously: a loaded machine (the whole suite at once) is slow, not wrong.
    await eventually(() => expect(hooks.received.length).toBeGreaterThanOrEqual(64), { timeoutMs: 60_000 });

    expect((await api.patch(`/webhooks/${endpoint.id}`, { enabled: false })).status).toBe(200);
    // What was in flight finishes (at most one attempt per slot), each attempt recorded...
    const attemptsRecorded = async () => {
      const [{ count }] = await sql<{ count: string }>(
        environment.databaseUrl,
        `SELECT count(*) FROM notifications.delivery_attempts a
         JOIN notifications.deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1`,
        [endpoint.id],
      );
      return Number(count);
    };
    await eventually(async () => expect(await attemptsRecorded()).toBe(hooks.received.length), { timeoutMs: 30_000 });
    const afterDisable = hooks.received.length;
    // ...then nothing more: not one request in the next second.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hooks.received.length).toBe(afterDisable);
    expect(afterDisable).toBeLessThan(400);
  });

  it('gives back a hand-off planned before its endpoint changed: it goes to the new URL, never the old', async () => {
    const before = await receiver();
    const after = await receiver();
    const endpoint = await subscribe(before.url);
    const dispatcher = app.app.get(DeliveryDispatcher);
    // The fan-out's view: a plan, then the endpoint as it read it, then a delivery it claimed.
    const plan = await dispatcher.handOffPlan();
    const published = catalogueEvent('transaction.created');
    const id = randomUUID();
    await sql(
      environment.databaseUrl,
      `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at,
         claimed_until, claimed_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', now(), now() + interval '1 minute', $6, now(), now())`,
      [id, endpoint.id, published.id, published.type, JSON.stringify(published), plan?.claimedBy],
    );
    // Meanwhile the endpoint moves.
    expect((await api.patch(`/webhooks/${endpoint.id}`, { url: after.url })).status).toBe(200);

    dispatcher.handOff(plan, [
      {
        id,
        endpoint_id: endpoint.id,
        event_id: published.id,
        body: JSON.stringify(published),
        time: published.time,
        attempts: 0,
        replay: false,
        ordering: 'none',
        queue: null,
        url: before.url,
        secret: endpoint.secret,
        previous_secret: null,
        previous_secret_expires_at: null,
        failing_since: null,
        claimedAt: Date.now(),
      },
    ]);

    await eventually(() => expect(after.received.map((r) => r.headers['webhook-id'])).toEqual([published.id]));
    expect(before.received).toHaveLength(0);
  });

  it('attempts again a delivery whose claim ran out unreported, and leaves one whose claim holds', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url);
    // Claims without an instance key (as before keys existed): only running out ends them.
    const claimed = async (claimedUntil: string) => {
      const published = catalogueEvent('transaction.created');
      await sql(
        environment.databaseUrl,
        `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at,
           claimed_until, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', now() - interval '1 minute', now() + $6::interval, now(), now())`,
        [randomUUID(), endpoint.id, published.id, published.type, JSON.stringify(published), claimedUntil],
      );
      return published.id;
    };
    const ranOut = await claimed('-1 second');
    const holding = await claimed('1 hour');

    await eventually(() => expect(hooks.received.map((r) => r.headers['webhook-id'])).toEqual([ranOut]));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hooks.received.map((r) => r.headers['webhook-id'])).not.toContain(holding);
  });
  it('counts a timeout as a failed attempt', async () => {
    const hooks = await receiver();
    hooks.behaviour = { status: 200, delayMs: 5_000 };
    const endpoint = await subscribe(hooks.url);
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    await eventually(async () =>
      expect((await deliveries(endpoint.id))[0]?.lastError).toMatch(/timed out after 2000 ms/),
    );
  });

  it('disables an endpoint that answers 410 Gone and announces webhook.disabled to the others', async () => {
    const gone = await receiver();
    gone.behaviour = { status: 410 };
    const watcher = await receiver();
    const endpoint = await subscribe(gone.url, ['transaction.created']);
    await subscribe(watcher.url, ['webhook.disabled']);
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    await eventually(async () =>
      expect((await api.get(`/webhooks/${endpoint.id}`)).body).toMatchObject({
        enabled: false,
        disabledReason: 'gone',
      }),
    );
    await eventually(() =>
      expect(
        amqp.bodies<{ type: string; data: { id: string } }>().find((e) => e.data.id === endpoint.id),
      ).toMatchObject({
        type: 'webhook.disabled',
        data: { id: endpoint.id, url: gone.url, reason: 'gone' },
      }),
    );
    await eventually(() => expect(watcher.received.map((r) => JSON.parse(r.body).data.id)).toContain(endpoint.id));
    expect(gone.received).toHaveLength(1);
    for (const published of amqp.bodies()) expectCatalogueEvent(published);

    // A manual retry cannot reach a disabled endpoint: a 422 that says so, and nothing changes.
    const [dead] = await deliveries(endpoint.id);
    const refused = await api.post(`/deliveries/${dead.id}/retry`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/endpoint-disabled$/);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({ id: dead.id, status: 'dead', attempts: 1 });
  });

  it('disables an endpoint that has failed every attempt for 5 days', async () => {
    const failing = await receiver();
    failing.behaviour = { status: 500 };
    const endpoint = await subscribe(failing.url, ['campaign.activated']);
    await sql(
      environment.databaseUrl,
      `UPDATE notifications.endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`,
      [endpoint.id],
    );
    amqp.publishEvent(EXCHANGES.adEngine, catalogueEvent('campaign.activated'));
    await eventually(async () =>
      expect((await api.get(`/webhooks/${endpoint.id}`)).body).toMatchObject({
        enabled: false,
        disabledReason: 'failing',
      }),
    );
    await eventually(() =>
      expect(
        amqp.bodies<{ data: { id: string; reason: string } }>().find((e) => e.data.id === endpoint.id)?.data.reason,
      ).toBe('failing'),
    );
  });

  it('resets the failing streak on a success', async () => {
    const flaky = await receiver();
    flaky.behaviour = (_, index) => ({ status: index === 0 ? 500 : 200 });
    const endpoint = await subscribe(flaky.url, ['campaign.paused']);
    amqp.publishEvent(EXCHANGES.adEngine, catalogueEvent('campaign.paused'));
    await eventually(() => expect(flaky.received).toHaveLength(2));
    await eventually(async () => {
      const [row] = await sql<{ failing_since: Date | null }>(
        environment.databaseUrl,
        'SELECT failing_since FROM notifications.endpoints WHERE id = $1',
        [endpoint.id],
      );
      expect(row.failing_since).toBeNull();
    });
  });

  it('signs with both the new and the old secret after a rotation', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url);
    const rotated = (await api.post(`/webhooks/${endpoint.id}/rotate-secret`, {})).body as { secret: string };
    amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));
    await eventually(() => expect(hooks.received).toHaveLength(1));
    const [request] = hooks.received;
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.secret]) {
      expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    }
  });

  it('sends webhook.test only to the endpoint it was requested for', async () => {
    const target = await receiver();
    const bystander = await receiver();
    const endpoint = await subscribe(target.url);
    await subscribe(bystander.url);
    const response = await api.post(`/webhooks/${endpoint.id}/test`, {});
    expect(response.status).toBe(202);
    await eventually(() => expect(target.received).toHaveLength(1));
    const body = new Webhook(endpoint.secret).verify(
      target.received[0].body,
      target.received[0].headers as Record<string, string>,
    );
    expect(body).toMatchObject({ type: 'webhook.test', source: '/notifications', data: { webhookId: endpoint.id } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bystander.received.filter((r) => JSON.parse(r.body).type === 'webhook.test')).toHaveLength(0);
  });

  it('pages through every delivery, also those created in the same microsecond-precise instant', async () => {
    // A fan-out batch or a replay creates its deliveries with one now(), finer than a millisecond.
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url);
    await api.patch(`/webhooks/${endpoint.id}`, { enabled: false });
    const created = Array.from({ length: 5 }, () => randomUUID());
    for (const id of created) {
      const published = catalogueEvent('transaction.created');
      await sql(
        environment.databaseUrl,
        `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, attempts,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'succeeded', 1, '2026-01-01T00:00:00.123456Z', now())`,
        [id, endpoint.id, published.id, published.type, JSON.stringify(published)],
      );
    }

    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await api.get(`/webhooks/${endpoint.id}/deliveries`, { limit: '2', ...(cursor ? { cursor } : {}) }))
        .body as { data: { id: string }[]; nextCursor: string | null };
      listed.push(...page.data.map((delivery) => delivery.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(listed.sort()).toEqual(created.sort());
  });

  it('replays from since to the microsecond, through an archive longer than one page', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url);
    // Held, not sent: only the count matters here.
    await api.patch(`/webhooks/${endpoint.id}`, { enabled: false });
    const archive = (time: string, count: number) =>
      sql(
        environment.databaseUrl,
        `INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
         SELECT e.id, 'transaction.created', $1::timestamptz,
           jsonb_build_object('specversion', '1.0', 'id', e.id, 'source', '/transactions', 'type', 'transaction.created',
             'time', $1::text, 'datacontenttype', 'application/json', 'data', '{}'::jsonb)
         FROM (SELECT gen_random_uuid()::text AS id FROM generate_series(1, $2)) e`,
        [time, count],
      );
    await archive('2030-01-01T00:00:00.271Z', 1);
    await archive('2030-01-01T00:00:00.2712Z', 1_001);

    const replayed = await api.post(`/webhooks/${endpoint.id}/replay`, { since: '2030-01-01T00:00:00.2711Z' });
    expect(replayed.body).toEqual({ replayed: 1_001 });
  });

  it('replays archived events since a time, including those older than the endpoint, with their original ids', async () => {
    const before = new Date(Date.now() - 1_000).toISOString();
    const old = catalogueEvent('transaction.updated');
    amqp.publishEvent(EXCHANGES.transactions, old);
    await eventually(async () =>
      expect(
        await sql(environment.databaseUrl, 'SELECT 1 FROM notifications.event_archive WHERE event_id = $1', [old.id]),
      ).toHaveLength(1),
    );
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url, ['transaction.updated']);
    const response = await api.post(`/webhooks/${endpoint.id}/replay`, { since: before });
    expect(response.status).toBe(202);
    expect(response.body.replayed).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(hooks.received.map((r) => r.headers['webhook-id'])).toContain(old.id));
  });

  it('marks a replayed delivery with webhook-replay: true, and only that one', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url, ['transaction.created']);
    const event = catalogueEvent('transaction.created');
    amqp.publishEvent(EXCHANGES.transactions, event);
    const ofEvent = () => hooks.received.filter((r) => r.headers['webhook-id'] === event.id);
    await eventually(() => expect(ofEvent()).toHaveLength(1));
    expect(ofEvent()[0].headers['webhook-replay']).toBeUndefined();

    // Earlier tests archived events too (some dated in 2030): only this one is looked at.
    expect((await api.post(`/webhooks/${endpoint.id}/replay`, { since: event.time })).status).toBe(202);
    await eventually(() => expect(ofEvent()).toHaveLength(2));
    const replayed = ofEvent()[1];
    expect(replayed.headers['webhook-replay']).toBe('true');
    const verified = new Webhook(endpoint.secret).verify(replayed.body, replayed.headers as Record<string, string>);
    expect(verified).toMatchObject({ id: event.id });
    expect(hooks.received.filter((r) => r.headers['webhook-replay'] === undefined)).toHaveLength(1);
  });

  it('never lets a slow endpoint delay deliveries to a fast one', async () => {
    const slow = await receiver();
    slow.behaviour = { status: 200, delayMs: 2_000 };
    const fast = await receiver();
    await subscribe(slow.url, ['account.balance_updated']);
    await subscribe(fast.url, ['account.balance_updated']);
    const count = PER_ENDPOINT_CONCURRENCY * 3;
    for (let i = 0; i < count; i++)
      amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('account.balance_updated'));
    // Unique ids: under load an attempt can time out after the receiver got it, and is retried.
    const ids = (hooks: WebhookReceiver) => new Set(hooks.received.map((r) => r.headers['webhook-id']));
    await eventually(() => expect(ids(fast).size).toBe(count), { timeoutMs: 10_000 });
    // The slow endpoint holds only its own slots, a few at a time, and is far from done.
    expect(ids(slow).size).toBeLessThan(count);
  });
});
