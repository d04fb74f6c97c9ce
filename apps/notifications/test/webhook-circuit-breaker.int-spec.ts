import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  catalogueEvent,
  ApiClient,
  createTestEnvironment,
  eventually,
  metricValue,
  RunningTestApp,
  startTestApp,
  TestEnvironment,
  WebhookReceiver,
} from '@app/testing';
import { appDefinition } from '../src/app.definition';

const EVENTS = 40;
const SETTINGS = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  // Ten retries 400 ms apart: without a breaker, 40 failing deliveries would make hundreds of attempts.
  WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 10 }, () => '400ms').join(','),
  WEBHOOK_TIMEOUT_MS: '10000',
  WEBHOOK_CIRCUIT_BREAKER_FAILURES: '3',
  WEBHOOK_CIRCUIT_BREAKER_MIN_FAILING_MS: '0',
};

const event = () => catalogueEvent('transaction.created');

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
}

describe('circuit breaker for an endpoint that fails every attempt', () => {
  let environment: TestEnvironment;
  let receiver: WebhookReceiver;
  let amqp: AmqpProbe;
  let app: RunningTestApp;
  let api: ApiClient;

  const start = async (settings: Record<string, string>) => {
    app = await startTestApp(appDefinition, environment, settings);
    api = new ApiClient(app.url);
  };

  beforeEach(async () => {
    environment = await createTestEnvironment();
    receiver = await WebhookReceiver.start();
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterEach(async () => {
    await app?.close();
    await amqp.close();
    await receiver.close();
    await environment.teardown();
  });

  const deliveries = async (endpointId: string): Promise<Delivery[]> =>
    (await api.get(`/webhooks/${endpointId}/deliveries`, { limit: '100' })).body.data as Delivery[];

  it('holds deliveries back without spending their retries, keeps probing when due, and releases them all once a probe succeeds', async () => {
    await start(SETTINGS);
    receiver.behaviour = { status: 500 };
    const endpoint = (await api.post('/webhooks', { url: receiver.url })).body;
    const sent = Array.from({ length: EVENTS }, event);
    for (const e of sent) amqp.publishEvent(EXCHANGES.transactions, e);

    await eventually(async () => expect(await deliveries(endpoint.id)).toHaveLength(EVENTS));
    await eventually(async () =>
      expect(metricValue((await api.get('/metrics')).text, 'webhook_circuits_open')).toBe(1),
    );

    // Open: a first wave (at most one lane of concurrent attempts), then one probe per due attempt.
    const attemptsWhileOpen = receiver.received.length;
    expect(attemptsWhileOpen).toBeLessThan(EVENTS);
    const held = await deliveries(endpoint.id);
    expect(held.every((d) => d.status !== 'dead')).toBe(true);
    expect(held.filter((d) => d.attempts === 0).length).toBeGreaterThan(0);
    // Probes keep going out while the circuit is open.
    await eventually(() => expect(receiver.received.length).toBeGreaterThan(attemptsWhileOpen), { timeoutMs: 3_000 });
    // Deliveries held on purpose are not a stalled sender.
    expect((await api.get('/health/ready')).status).toBe(200);

    receiver.behaviour = { status: 204 };
    await eventually(
      async () => expect((await deliveries(endpoint.id)).filter((d) => d.status === 'succeeded')).toHaveLength(EVENTS),
      { timeoutMs: 15_000 },
    );
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(sent.map((e) => e.id)));
  });

  it('sends the very delivery a manual retry asks for at once, even while the circuit is open', async () => {
    // Retries 30 s apart: the next probe is far off, so only the manual retry can be sent now.
    await start({ ...SETTINGS, WEBHOOK_RETRY_SCHEDULE: '30s,30s,30s' });
    receiver.behaviour = { status: 500 };
    const endpoint = (await api.post('/webhooks', { url: receiver.url })).body;
    for (let i = 0; i < 5; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    // Three failures open the circuit (the breaker learns of each before its attempt is recorded).
    await eventually(async () =>
      expect((await deliveries(endpoint.id)).filter((d) => d.attempts === 1).length).toBeGreaterThanOrEqual(3),
    );
    // These wait for the probe, 30 s away.
    for (let i = 0; i < 5; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    const untried = await eventually(async () => {
      const waiting = (await deliveries(endpoint.id)).filter((d) => d.attempts === 0);
      expect(waiting.length).toBeGreaterThanOrEqual(5);
      return waiting;
    });

    // Only the retried delivery would succeed: a probe of any other keeps the circuit open.
    receiver.behaviour = (request) => ({ status: request.headers['webhook-id'] === untried[0].eventId ? 204 : 500 });
    expect((await api.post(`/deliveries/${untried[0].id}/retry`, {})).status).toBe(202);

    await eventually(
      async () =>
        expect((await api.get(`/deliveries/${untried[0].id}/attempts`)).body.data.at(-1)?.statusCode).toBe(204),
      { timeoutMs: 5_000 },
    );
  });
});
