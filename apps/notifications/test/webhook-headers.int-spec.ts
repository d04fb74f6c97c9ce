import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  ApiClient,
  catalogueEvent,
  createTestEnvironment,
  eventually,
  freePort,
  SentryRecorder,
  spawnApp,
  untilReady,
  WebhookReceiver,
  type AppProcess,
  type TestEnvironment,
} from '@app/testing';

/**
 * CONTRACT.md section 9: a webhook carries the headers of section 7 plus `content-length` and
 * `user-agent`, and nothing else, even with Sentry on (its HTTP instrumentation adds
 * `sentry-trace` and `baggage`, with our Sentry public key, to outgoing requests unless told
 * not to). `host` and `connection` are HTTP/1.1's own, written by the client for every request.
 */
const ALLOWED_HEADERS = [
  'connection',
  'content-length',
  'content-type',
  'host',
  'user-agent',
  'webhook-id',
  'webhook-signature',
  'webhook-timestamp',
];

describe('outgoing webhook headers with Sentry on (notifications process)', () => {
  let environment: TestEnvironment;
  let recorder: SentryRecorder;
  let receiver: WebhookReceiver;
  let app: AppProcess;
  let amqp: AmqpProbe;
  let api: ApiClient;
  let endpointId: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    recorder = await SentryRecorder.start();
    receiver = await WebhookReceiver.start();
    const port = await freePort();
    app = spawnApp('notifications', {
      ...environment.env,
      PORT: String(port),
      SENTRY_DSN: recorder.dsn,
      // Every request traced: the case where Sentry would propagate most.
      SENTRY_TRACES_SAMPLE_RATE: '1',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    await untilReady(port);
    api = new ApiClient(`http://127.0.0.1:${port}`);
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
    const created = await api.post('/webhooks', { url: receiver.url });
    expect(created.status).toBe(201);
    endpointId = (created.body as { id: string }).id;
  }, 90_000);

  afterAll(async () => {
    await amqp?.close();
    app?.child.kill('SIGKILL');
    await app?.exited;
    await receiver?.close();
    await recorder?.close();
    await environment?.teardown();
  });

  const receivedFor = (eventId: string) =>
    eventually(
      () => {
        const found = receiver.received.find((request) => request.headers['webhook-id'] === eventId);
        if (!found) throw new Error(`no webhook for ${eventId} yet`);
        return found;
      },
      { timeoutMs: 20_000 },
    );

  it('sends a test event, asked for over HTTP, with exactly the allowed headers', async () => {
    const response = await api.post(`/webhooks/${endpointId}/test`, {});
    expect(response.status).toBe(202);
    const received = await receivedFor((response.body as { eventId: string }).eventId);
    expect(Object.keys(received.headers).sort()).toEqual(ALLOWED_HEADERS);
  });

  it('delivers a consumed event, with a trace in its message headers, with exactly the allowed headers', async () => {
    const event = catalogueEvent('transaction.created');
    amqp.channel.publish(EXCHANGES.transactions, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      contentType: 'application/cloudevents+json',
      messageId: event.id,
      type: event.type,
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    const received = await receivedFor(event.id);
    expect(Object.keys(received.headers).sort()).toEqual(ALLOWED_HEADERS);
  });
});
