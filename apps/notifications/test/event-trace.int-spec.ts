import {
  ApiClient,
  AppProcess,
  createTestEnvironment,
  eventually,
  freePort,
  RunningTestApp,
  spawnApp,
  sql,
  startTestApp,
  TestEnvironment,
  untilReady,
  WebhookReceiver,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

const KEY = 'trace-key';

/**
 * CONTRACT.md section 10: GET /events/:id/trace, across the three apps. Transactions and the ad
 * engine run as their own processes (apps never import each other), notifications in this one.
 */
describe('GET /events/:id/trace', () => {
  let environment: TestEnvironment;
  let receiver: WebhookReceiver;
  let transactions: AppProcess;
  let adEngine: AppProcess;
  let notifications: RunningTestApp;
  let ledger: ApiClient;
  let engine: ApiClient;
  let api: ApiClient;

  const stop = async (app: AppProcess | undefined) => {
    if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
    app.child.kill('SIGTERM');
    await app.exited;
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    receiver = await WebhookReceiver.start();
    // The first attempt fails, the retry succeeds: a delivery with two attempts.
    receiver.behaviour = (_request, index) => ({ status: index === 0 ? 500 : 204 });
    const [transactionsPort, adEnginePort] = [await freePort(), await freePort()];
    const transactionsUrl = `http://127.0.0.1:${transactionsPort}`;
    transactions = spawnApp('transactions', { ...environment.env, PORT: String(transactionsPort), API_KEYS: KEY });
    adEngine = spawnApp('ad-engine', {
      ...environment.env,
      PORT: String(adEnginePort),
      API_KEYS: KEY,
      TRANSACTIONS_URL: transactionsUrl,
    });
    notifications = await startTestApp(appDefinition, environment, {
      API_KEYS: KEY,
      TRANSACTIONS_URL: transactionsUrl,
      AD_ENGINE_URL: `http://127.0.0.1:${adEnginePort}`,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,800ms',
    });
    await Promise.all([untilReady(transactionsPort), untilReady(adEnginePort)]);
    ledger = new ApiClient(transactionsUrl, KEY);
    engine = new ApiClient(`http://127.0.0.1:${adEnginePort}`, KEY);
    api = new ApiClient(notifications.url, KEY);
  }, 120_000);

  afterAll(async () => {
    await notifications?.close();
    await Promise.all([stop(transactions), stop(adEngine)]);
    await receiver?.close();
    await environment?.teardown();
  });

  /** The deposit's two events, by type, once the transactions service has published them. */
  let deposit: { accountId: string; created: string; balanceUpdated: string };
  let subscriptionId: string;
  let webhookId: string;

  it('follows a deposit from the outbox through both consumers to a webhook and a subscription', async () => {
    const webhook = await api.post('/webhooks', { url: receiver.url, eventTypes: ['transaction.created'] });
    expect(webhook.status).toBe(201);
    webhookId = webhook.body.id;
    const subscription = await api.post('/subscriptions', {
      queue: `trace-${randomUUID().slice(0, 8)}`,
      eventTypes: ['account.balance_updated'],
    });
    expect(subscription.status).toBe(201);
    subscriptionId = subscription.body.id;

    const account = await ledger.openAccount();
    await ledger.record({ accountId: account.id, type: 'deposit', amount: '1050' });
    deposit = await eventually(async () => {
      const events = (await ledger.get('/events')).body.data as { id: string; type: string }[];
      const idOf = (type: string) => events.find((event) => event.type === type)?.id;
      const [created, balanceUpdated] = [idOf('transaction.created'), idOf('account.balance_updated')];
      expect(created && balanceUpdated).toBeTruthy();
      return { accountId: account.id, created: created!, balanceUpdated: balanceUpdated! };
    });

    const balanceTrace = await eventually(async () => {
      const response = await api.get(`/events/${deposit.balanceUpdated}/trace`);
      expect(response.status).toBe(200);
      // The relay records the broker's confirm with its next batch: possibly after a consumer applied it.
      expect(response.body.publishedAt).toEqual(expect.any(String));
      expect(response.body.consumers).toHaveLength(2);
      expect(response.body.subscriptions[0]?.forwardedAt).toEqual(expect.any(String));
      return response.body;
    });
    expect(balanceTrace).toEqual({
      id: deposit.balanceUpdated,
      type: 'account.balance_updated',
      source: '/transactions',
      committedAt: expect.any(String),
      publishedAt: expect.any(String),
      consumers: expect.arrayContaining([
        { app: 'ad-engine', queue: 'ad-engine.funds', at: expect.any(String), outcome: 'applied' },
        { app: 'notifications', queue: 'notifications.deliveries', at: expect.any(String), outcome: 'applied' },
      ]),
      deliveries: [],
      subscriptions: [{ id: subscriptionId, forwardedAt: expect.any(String) }],
      incomplete: [],
    });
    expect(balanceTrace.committedAt <= balanceTrace.publishedAt).toBe(true);
    // Times to the microsecond in one format: compared as text. Applied after it was committed,
    // forwarded after notifications applied it.
    const consumedAt = balanceTrace.consumers.map((consumer: { at: string }) => consumer.at);
    for (const at of consumedAt) expect(at > balanceTrace.committedAt).toBe(true);
    const notified = balanceTrace.consumers.find((consumer: { app: string }) => consumer.app === 'notifications');
    expect(Date.parse(balanceTrace.subscriptions[0].forwardedAt)).toBeGreaterThanOrEqual(Date.parse(notified.at));

    const createdTrace = await eventually(async () => {
      const response = await api.get(`/events/${deposit.created}/trace`);
      expect(response.body.publishedAt).toEqual(expect.any(String));
      expect(response.body.deliveries?.[0]?.status).toBe('succeeded');
      return response.body;
    });
    expect(createdTrace).toEqual({
      id: deposit.created,
      type: 'transaction.created',
      source: '/transactions',
      committedAt: expect.any(String),
      publishedAt: expect.any(String),
      consumers: [
        { app: 'notifications', queue: 'notifications.deliveries', at: expect.any(String), outcome: 'applied' },
      ],
      deliveries: [
        {
          webhookId,
          status: 'succeeded',
          attempts: [
            { at: expect.any(String), statusCode: 500, durationMs: expect.any(Number) },
            { at: expect.any(String), statusCode: 204, durationMs: expect.any(Number) },
          ],
        },
      ],
      subscriptions: [],
      incomplete: [],
    });
    expect(createdTrace.committedAt <= createdTrace.publishedAt).toBe(true);
    const [first, retry] = createdTrace.deliveries[0].attempts;
    expect(Date.parse(first.at)).toBeLessThan(Date.parse(retry.at));
  });

  it("takes an ad-engine event's times from the ad engine's outbox", async () => {
    const campaign = await engine.post('/campaigns', {
      accountId: deposit.accountId,
      name: 'Traced',
      minBalance: '500',
    });
    expect(campaign.status).toBe(201);
    const eventId = await eventually(async () => {
      const [row] = await sql<{ event_id: string }>(
        environment.databaseUrl,
        `SELECT event_id FROM notifications.event_archive WHERE envelope->>'subject' = $1`,
        [campaign.body.id],
      );
      expect(row).toBeDefined();
      return row.event_id;
    });

    const trace = await eventually(async () => {
      const response = await api.get(`/events/${eventId}/trace`);
      expect(response.body.publishedAt).toEqual(expect.any(String));
      return response.body;
    });
    expect(trace).toEqual({
      id: eventId,
      type: `campaign.${campaign.body.status === 'active' ? 'activated' : 'paused'}`,
      source: '/ad-engine',
      committedAt: expect.any(String),
      publishedAt: expect.any(String),
      consumers: [
        { app: 'notifications', queue: 'notifications.deliveries', at: expect.any(String), outcome: 'applied' },
      ],
      deliveries: [],
      subscriptions: [],
      incomplete: [],
    });
    expect(trace.committedAt <= trace.publishedAt).toBe(true);
  });

  it('is 404 for an event no service has seen, and for an id that is no UUID', async () => {
    const unknown = randomUUID();
    const response = await api.get(`/events/${unknown}/trace`);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: '/problems/not-found',
      status: 404,
      detail: `No service of the platform has seen event ${unknown}`,
    });
    const malformed = await api.get('/events/not-an-id/trace');
    expect(malformed.status).toBe(404);
    expect(malformed.body).toMatchObject({ type: '/problems/not-found', detail: 'No event not-an-id' });
  });

  it('asks for the API key, like every API route', async () => {
    const response = await new ApiClient(notifications.url).get(`/events/${randomUUID()}/trace`);
    expect(response.status).toBe(401);
  });

  it('is documented in the OpenAPI document with its answer', async () => {
    const document = (await api.get('/docs-json')).body;
    const operation = document.paths['/events/{id}/trace'].get;
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/EventTraceView',
    });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '404', '503']));
    const { properties } = document.components.schemas.EventTraceView;
    expect(Object.keys(properties).sort()).toEqual(
      [
        'id',
        'type',
        'source',
        'committedAt',
        'publishedAt',
        'consumers',
        'deliveries',
        'subscriptions',
        'incomplete',
      ].sort(),
    );
    expect(properties.deliveries.items).toEqual({ $ref: '#/components/schemas/TraceDeliveryView' });
    expect(document.components.schemas.TraceDeliveryView.properties.attempts.items).toEqual({
      $ref: '#/components/schemas/TraceAttemptView',
    });
  });

  it('answers with what is known when the ad engine is down, naming it as incomplete', async () => {
    await stop(adEngine);

    const response = await api.get(`/events/${deposit.balanceUpdated}/trace`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: deposit.balanceUpdated,
      type: 'account.balance_updated',
      committedAt: expect.any(String),
      publishedAt: expect.any(String),
      consumers: [{ app: 'notifications', queue: 'notifications.deliveries', outcome: 'applied' }],
      subscriptions: [{ id: subscriptionId, forwardedAt: expect.any(String) }],
      incomplete: ['ad-engine'],
    });

    // Nobody that answered knows it, and the ad engine might: not a 404.
    const unknown = await api.get(`/events/${randomUUID()}/trace`);
    expect(unknown.status).toBe(503);
    expect(unknown.body).toMatchObject({ type: '/problems/trace-incomplete', status: 503 });
    expect(unknown.body.detail).toMatch(/ad-engine could not be asked$/);
  });
});
