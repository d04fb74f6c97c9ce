import {
  ApiClient,
  createTestEnvironment,
  eventually,
  freePort,
  OtlpRecorder,
  SentryRecorder,
  spawnApp,
  untilReady,
  WebhookReceiver,
  type AppProcess,
  type RecordedSpan,
  type TestEnvironment,
} from '@app/testing';
import { randomBytes, randomUUID } from 'node:crypto';

const KEY = 'tracing-key';

/** Headers a tracing library could add to a request: none may reach a webhook (CONTRACT.md section 9). */
const TRACING_HEADERS = ['traceparent', 'tracestate', 'baggage', 'sentry-trace'];

/**
 * CONTRACT.md section 10: one W3C trace follows a deposit from the HTTP call through the outbox
 * row, the message headers, every consumer and the webhook attempt. The three apps run as their
 * own processes, set up by their instrument.ts as in production, and export their spans over
 * OTLP/HTTP to a loopback collector: what is checked is what a Jaeger or Tempo would receive.
 * Twice: with our own OpenTelemetry SDK, and with Sentry's (SENTRY_DSN set, every request
 * sampled), which the exporter then joins: the two must not fight over the trace.
 */
describe.each([
  { sdk: 'our own', withSentry: false },
  { sdk: "Sentry's", withSentry: true },
])('one trace across every hop (OpenTelemetry via $sdk SDK, three app processes)', ({ withSentry }) => {
  let environment: TestEnvironment;
  let recorder: OtlpRecorder;
  let sentry: SentryRecorder | undefined;
  let receiver: WebhookReceiver;
  let apps: AppProcess[] = [];
  let ledger: ApiClient;

  const stop = async (app: AppProcess) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return;
    app.child.kill('SIGTERM');
    await app.exited;
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    recorder = await OtlpRecorder.start();
    sentry = withSentry ? await SentryRecorder.start() : undefined;
    receiver = await WebhookReceiver.start();
    const [transactionsPort, adEnginePort, notificationsPort] = [await freePort(), await freePort(), await freePort()];
    const tracing = {
      ...environment.env,
      API_KEYS: KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: recorder.endpoint,
      // Exported within 100 ms rather than the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...(sentry ? { SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: '1' } : {}),
    };
    apps = [
      spawnApp('transactions', { ...tracing, PORT: String(transactionsPort) }),
      spawnApp('ad-engine', { ...tracing, PORT: String(adEnginePort) }),
      spawnApp('notifications', {
        ...tracing,
        PORT: String(notificationsPort),
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      }),
    ];
    await Promise.all([untilReady(transactionsPort), untilReady(adEnginePort), untilReady(notificationsPort)]);
    ledger = new ApiClient(`http://127.0.0.1:${transactionsPort}`, KEY);
    const notifications = new ApiClient(`http://127.0.0.1:${notificationsPort}`, KEY);
    const webhook = await notifications.post('/webhooks', { url: receiver.url, eventTypes: ['transaction.created'] });
    expect(webhook.status).toBe(201);
    const subscription = await notifications.post('/subscriptions', {
      queue: `tracing-${randomUUID().slice(0, 8)}`,
      eventTypes: ['account.balance_updated'],
    });
    expect(subscription.status).toBe(201);
  }, 120_000);

  // An app that died takes its reason with it unless it is shown here: the requests to it only
  // say "socket hang up".
  afterEach(() => {
    for (const app of apps) {
      if (app.child.exitCode !== null || app.child.signalCode !== null) {
        throw new Error(`an app exited (${app.child.exitCode ?? app.child.signalCode}): ${app.stderr().slice(-4_000)}`);
      }
    }
  });

  afterAll(async () => {
    await Promise.all(apps.map(stop));
    await receiver?.close();
    await recorder?.close();
    await sentry?.close();
    await environment?.teardown();
  });

  /** The span that `matches` in the trace, once its app has exported it. */
  const spanOf = (traceId: string, description: string, matches: (span: RecordedSpan) => boolean) =>
    eventually(
      () => {
        const found = recorder.trace(traceId).find(matches);
        if (!found) {
          const seen = recorder.trace(traceId).map((span) => `${span.service}:${span.kind}:${span.name}`);
          throw new Error(`no ${description} in trace ${traceId} yet; it has ${seen.join(', ') || 'nothing'}`);
        }
        return found;
      },
      { timeoutMs: 20_000 },
    );

  const ofEvent = (type: string) => (span: RecordedSpan) => span.attributes['cloudevents.event_type'] === type;

  /**
   * Every hop of a deposit in `traceId`: transactions' server span (the request) and producer
   * spans (the relay's publishes), ad-engine's and notifications' consumer spans, and
   * notifications' webhook attempt and subscription forward.
   */
  const followDeposit = async (traceId: string) => {
    const server = await spanOf(
      traceId,
      'transactions server span',
      (span) => span.service === 'transactions' && span.kind === 'server',
    );
    const published = await spanOf(
      traceId,
      'publish of transaction.created',
      (span) => span.service === 'transactions' && span.kind === 'producer' && ofEvent('transaction.created')(span),
    );
    const learned = await spanOf(
      traceId,
      'ad-engine consumer span',
      (span) => span.service === 'ad-engine' && span.kind === 'consumer' && ofEvent('account.balance_updated')(span),
    );
    const consumed = await spanOf(
      traceId,
      'notifications consumer span',
      (span) => span.service === 'notifications' && span.kind === 'consumer' && ofEvent('transaction.created')(span),
    );
    const attempt = await spanOf(
      traceId,
      'webhook attempt',
      (span) => span.service === 'notifications' && span.kind === 'client' && span.name === 'POST webhook',
    );
    const forward = await spanOf(
      traceId,
      'subscription forward',
      (span) => span.service === 'notifications' && span.kind === 'producer' && span.name === 'send subscription',
    );
    return { server, published, learned, consumed, attempt, forward };
  };

  it("continues the caller's traceparent through publish, both consumers, the webhook and the forward", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const account = await ledger.openAccount();
    const response = await ledger.post(
      '/transactions',
      { accountId: account.id, type: 'deposit', amount: '25', currency: 'EUR' },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    );
    expect(response.status).toBe(201);

    const { server, published, learned, consumed, attempt, forward } = await followDeposit(traceId);
    expect(server).toMatchObject({
      parentSpanId: callerSpanId,
      name: 'POST /transactions',
      attributes: expect.objectContaining({ 'http.route': '/transactions', 'http.response.status_code': 201 }),
    });
    // The outbox row keeps the span active when it was written, the parent the event travels
    // with: ours, the request's; with Sentry, one of its spans within the request (the controller's).
    const stored = published.parentSpanId;
    for (const span of [learned, consumed, attempt, forward]) expect(span.parentSpanId).toBe(stored);
    if (withSentry) expect(recorder.trace(traceId).map((span) => span.spanId)).toContain(stored);
    else expect(stored).toBe(server.spanId);
    expect(published.attributes).toMatchObject({ 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send' });
    expect(learned.attributes).toMatchObject({ 'messaging.destination.subscription.name': 'ad-engine.funds' });
    expect(attempt.attributes).toMatchObject({ 'http.response.status_code': 204 });
    // The attempt is traced, the webhook is not: no tracing header went out with it.
    const webhook = receiver.received.find(
      (request) => request.headers['webhook-id'] === attempt.attributes['cloudevents.event_id'],
    );
    expect(Object.keys(webhook?.headers ?? { missing: true })).toEqual(expect.not.arrayContaining(TRACING_HEADERS));
    expect(webhook).toBeDefined();
  });

  it('starts a trace for a request that brings none, and every hop joins it', async () => {
    const account = await ledger.openAccount();
    const transaction = await ledger.record({ accountId: account.id, type: 'deposit', amount: '30' });
    const webhook = await eventually(
      () => {
        const found = receiver.received.find((request) => JSON.parse(request.body).data?.id === transaction.id);
        if (!found) throw new Error('no webhook for the deposit yet');
        return found;
      },
      { timeoutMs: 20_000 },
    );
    const attempt = await recorder.waitForSpan(
      (span) =>
        span.name === 'POST webhook' && span.attributes['cloudevents.event_id'] === webhook.headers['webhook-id'],
    );

    const { server } = await followDeposit(attempt.traceId);
    expect(server.parentSpanId).toBe('');
    expect(Object.keys(webhook.headers)).toEqual(expect.not.arrayContaining(TRACING_HEADERS));
  });
});
