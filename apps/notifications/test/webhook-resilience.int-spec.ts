import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  catalogueEvent,
  ApiClient,
  createTestEnvironment,
  eventually,
  freePort,
  RunningTestApp,
  spawnApp,
  untilReady,
  sql,
  startTestApp,
  TestEnvironment,
  WebhookReceiver,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';
import { DeliveryDispatcher } from '../src/deliveries/delivery-dispatcher';

const SETTINGS = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_SCHEDULE: '300ms,300ms,300ms,300ms',
  WEBHOOK_TIMEOUT_MS: '10000',
};

const event = () => catalogueEvent('transaction.created');

describe('webhook deliveries across restarts and instances', () => {
  let environment: TestEnvironment;
  let receiver: WebhookReceiver;
  let amqp: AmqpProbe;

  beforeEach(async () => {
    environment = await createTestEnvironment();
    receiver = await WebhookReceiver.start();
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterEach(async () => {
    await amqp.close();
    await receiver.close();
    await environment.teardown();
  });

  it('loses nothing when the service restarts with deliveries pending (same webhook-id after restart)', async () => {
    receiver.behaviour = { status: 503 };
    let app: RunningTestApp = await startTestApp(appDefinition, environment, SETTINGS);
    const endpoint = (await new ApiClient(app.url).post('/webhooks', { url: receiver.url })).body;
    const events = [event(), event(), event()];
    for (const e of events) amqp.publishEvent(EXCHANGES.transactions, e);
    await eventually(() => expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(3));
    await app.close();

    // Published while the service is down: waits in its queue.
    const late = event();
    amqp.publishEvent(EXCHANGES.transactions, late);
    receiver.behaviour = { status: 200 };
    app = await startTestApp(appDefinition, environment, SETTINGS);
    try {
      const api = new ApiClient(app.url);
      await eventually(async () => {
        const data = (await api.get(`/webhooks/${endpoint.id}/deliveries`, { status: 'succeeded' })).body.data;
        expect(data).toHaveLength(4);
      });
      const succeededIds = receiver.received.filter((r) => r.headers['webhook-id']).map((r) => r.headers['webhook-id']);
      expect(new Set(succeededIds)).toEqual(new Set([...events, late].map((e) => e.id)));
    } finally {
      await app.close();
    }
  });

  it('takes over at once the deliveries a killed instance was attempting, not when their claims run out', async () => {
    // The receiver hangs: the doomed instance's attempts stay in flight, their claims held.
    receiver.behaviour = { status: 200, delayMs: 20_000 };
    const port = await freePort();
    const doomed = spawnApp('notifications', { ...environment.env, ...SETTINGS, PORT: String(port) });
    try {
      const api = new ApiClient(`http://127.0.0.1:${port}`);
      await untilReady(port);
      const endpoint = (await api.post('/webhooks', { url: receiver.url })).body;
      const events = [event(), event(), event()];
      for (const e of events) amqp.publishEvent(EXCHANGES.transactions, e);
      await eventually(() => expect(receiver.received).toHaveLength(3));

      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toBe('SIGKILL');
      receiver.behaviour = { status: 200 };
      // Claims last WEBHOOK_TIMEOUT_MS + 30 s (40 s here); the survivor must not wait for that.
      const survivor = await startTestApp(appDefinition, environment, SETTINGS);
      try {
        await eventually(
          async () =>
            expect(
              (await new ApiClient(survivor.url).get(`/webhooks/${endpoint.id}/deliveries`, { status: 'succeeded' }))
                .body.data,
            ).toHaveLength(3),
          { timeoutMs: 10_000 },
        );
        const retried = receiver.received.slice(3).map((r) => r.headers['webhook-id']);
        expect(new Set(retried)).toEqual(new Set(events.map((e) => e.id)));
      } finally {
        await survivor.close();
      }
    } finally {
      doomed.child.kill('SIGKILL');
      await doomed.exited;
    }
  });

  it('keeps its claims when its instance lease connection is killed: nothing is sent twice', async () => {
    receiver.behaviour = { status: 200, delayMs: 3_000 };
    const app = await startTestApp(appDefinition, environment, SETTINGS);
    try {
      const api = new ApiClient(app.url);
      const endpoint = (await api.post('/webhooks', { url: receiver.url })).body;
      const events = [event(), event(), event()];
      for (const e of events) amqp.publishEvent(EXCHANGES.transactions, e);
      await eventually(() => expect(receiver.received).toHaveLength(3));

      // The lease's session dies (a failover, a proxy): its lock, and the key the claims carry, go with it.
      const [killed] = await sql(
        environment.databaseUrl,
        `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
         WHERE application_name = 'notifications-dispatcher-instance' AND datname = current_database()`,
      );
      expect(killed.count).toBe(1);

      await eventually(
        async () =>
          expect(
            (await api.get(`/webhooks/${endpoint.id}/deliveries`, { status: 'succeeded' })).body.data,
          ).toHaveLength(3),
        { timeoutMs: 15_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(receiver.received).toHaveLength(3);
    } finally {
      await app.close();
    }
  });

  it('lets two instances share the work without sending any delivery twice on the happy path', async () => {
    const apps = [
      await startTestApp(appDefinition, environment, SETTINGS),
      await startTestApp(appDefinition, environment, SETTINGS),
    ];
    try {
      await new ApiClient(apps[0].url).post('/webhooks', { url: receiver.url });
      const sent = Array.from({ length: 40 }, event);
      for (const e of sent) amqp.publishEvent(EXCHANGES.transactions, e);
      await eventually(() => expect(receiver.received).toHaveLength(40));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received).toHaveLength(40);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(sent.map((e) => e.id)));
    } finally {
      for (const app of apps) await app.close();
    }
  });

  it('refuses at connect time a host that now resolves to a private address (DNS rebinding)', async () => {
    const app = await startTestApp(appDefinition, environment, { ...SETTINGS, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    try {
      // As if the host had resolved to a public address when the endpoint was created.
      const rebinding = new URL(receiver.url);
      rebinding.hostname = 'localhost';
      const id = randomUUID();
      await sql(
        environment.databaseUrl,
        `INSERT INTO notifications.endpoints (id, url, secret, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`,
        [id, rebinding.toString(), `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}`],
      );
      amqp.publishEvent(EXCHANGES.transactions, event());
      const api = new ApiClient(app.url);
      await eventually(async () =>
        expect((await api.get(`/webhooks/${id}/deliveries`)).body.data[0]?.lastError).toMatch(
          /refused to connect to localhost/,
        ),
      );
      expect(receiver.received).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('reports not ready when deliveries are due and nobody attempts them (stalled sender)', async () => {
    const app = await startTestApp(appDefinition, environment, SETTINGS);
    try {
      const api = new ApiClient(app.url);
      const endpoint = (await api.post('/webhooks', { url: receiver.url })).body;
      expect((await api.get('/health/ready')).status).toBe(200);
      await app.app.get(DeliveryDispatcher).beforeApplicationShutdown(); // the worker dies, the API does not
      await sql(
        environment.databaseUrl,
        `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'transaction.created', '{}', 'pending', now() - interval '5 minutes', now(), now())`,
        [randomUUID(), endpoint.id, randomUUID()],
      );
      const response = await api.get('/health/ready');
      expect(response.status).toBe(503);
      expect(response.body.details.webhookDeliveries).toMatchObject({ status: 'down' });
      expect((await api.get('/metrics')).text).toMatch(/^webhook_deliveries_overdue\{[^}]*\} 1$/m);
    } finally {
      await app.close();
    }
  });
});
