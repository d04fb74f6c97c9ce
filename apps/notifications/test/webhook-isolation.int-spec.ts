import { EXCHANGES } from '@app/contracts';
import {
  catalogueEvent,
  AmqpProbe,
  ApiClient,
  createTestEnvironment,
  eventually,
  RunningTestApp,
  startTestApp,
  TestEnvironment,
  useTestApp,
  WebhookReceiver,
} from '@app/testing';
import { appDefinition } from '../src/app.definition';

// The default WEBHOOK_TIMEOUT_MS (15 s): a delay caused by the hanging endpoint shows as seconds.
const SETTINGS = { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
const EVENTS = 60;
/** Far below one timeout, and well above what 60 deliveries to a healthy endpoint take here. */
const PROMPT_MS = 5_000;

const event = () => catalogueEvent('transaction.created');

describe('a hanging endpoint (CONTRACT.md section 9)', () => {
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

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(appDefinition, environment, SETTINGS);
    api = new ApiClient(app.url);
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterAll(async () => {
    await amqp?.close();
    for (const started of receivers) await started.close();
    await app?.close();
    await environment?.teardown();
  });

  /** 60 events to every endpoint; answers when the healthy endpoint had the last of them. */
  const publishAndTime = async (healthy: WebhookReceiver, healthyPath: string) => {
    const arrived = () =>
      new Set(healthy.received.filter((r) => r.path === healthyPath).map((r) => r.headers['webhook-id']));
    const before = arrived().size;
    const publishedAt = Date.now();
    for (let i = 0; i < EVENTS; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    await eventually(() => expect(arrived().size).toBe(before + EVENTS), { timeoutMs: PROMPT_MS });
    return Date.now() - publishedAt;
  };

  it('never delays the deliveries to a healthy endpoint on a server of its own', async () => {
    const hanging = await receiver();
    hanging.behaviour = { status: 200, hang: true };
    const healthy = await receiver();
    for (const url of [hanging.url, healthy.url]) expect((await api.post('/webhooks', { url })).status).toBe(201);

    expect(await publishAndTime(healthy, '/hooks')).toBeLessThan(PROMPT_MS);
    // The hanging endpoint has its attempts in flight, waiting for an answer that never comes.
    expect(hanging.received.length).toBeGreaterThan(0);
  });

  it('never delays a healthy endpoint that shares its server (host and port) with a hanging one', async () => {
    // One HTTP client connection pool per origin: the hanging endpoint's attempts must not hold
    // the connections the healthy one needs.
    const shared = await receiver();
    shared.behaviour = (request) => (request.path === '/hang' ? { status: 200, hang: true } : { status: 204 });
    for (const path of ['/hang', '/ok']) {
      expect((await api.post('/webhooks', { url: `${shared.origin}${path}` })).status).toBe(201);
    }

    expect(await publishAndTime(shared, '/ok')).toBeLessThan(PROMPT_MS);
  });

  it('never delays a healthy endpoint while hanging endpoints have more attempts in flight than there are slots', async () => {
    // 9 x 16 attempts waiting: more than the 128 that run at once in all.
    const shared = await receiver();
    shared.behaviour = (request) => (request.path.startsWith('/hang') ? { status: 200, hang: true } : { status: 204 });
    for (let i = 1; i <= 9; i++) {
      expect((await api.post('/webhooks', { url: `${shared.origin}/hang${i}` })).status).toBe(201);
    }
    expect((await api.post('/webhooks', { url: `${shared.origin}/ok` })).status).toBe(201);

    expect(await publishAndTime(shared, '/ok')).toBeLessThan(PROMPT_MS);
    expect(shared.received.filter((r) => r.path.startsWith('/hang')).length).toBeGreaterThan(128);
  });
});

describe('WEBHOOK_ENDPOINT_CONCURRENCY', () => {
  const fixture = useTestApp(appDefinition, { ...SETTINGS, WEBHOOK_ENDPOINT_CONCURRENCY: '3' });
  let amqp: AmqpProbe;
  let slow: WebhookReceiver;

  beforeAll(async () => {
    amqp = await AmqpProbe.connect(fixture.environment.rabbitmqUrl);
    slow = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await slow?.close();
    await amqp?.close();
  });

  it('caps the attempts in flight to one endpoint', async () => {
    let inFlight = 0;
    let peak = 0;
    slow.behaviour = () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      // Counted down no later than the answer goes (this timer is set first), never after.
      setTimeout(() => inFlight--, 300);
      return { status: 204, delayMs: 300 };
    };
    expect((await fixture.api.post('/webhooks', { url: slow.url })).status).toBe(201);
    for (let i = 0; i < 12; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    await eventually(() => expect(slow.received).toHaveLength(12), { timeoutMs: 15_000 });
    expect(peak).toBe(3);
  });
});
