import { buildEnvelope } from '@app/contracts';
import {
  AmqpProbe,
  createTestEnvironment,
  eventually,
  freePort,
  PROBE_APP_MAIN,
  PROBE_EXCHANGE,
  PROBE_QUEUE,
  SentryRecorder,
  spawnApp,
  sql,
  untilReady,
  type AppProcess,
  type TestEnvironment,
} from '@app/testing';
import { randomUUID } from 'node:crypto';

const API_KEY = 'sentry-test-key-123';

/**
 * The probe app as its own process with SENTRY_DSN pointing at a loopback recorder: what reaches
 * Sentry (every 5xx, dead-lettered message and failed background task, tagged) and what never
 * does (CONTRACT.md section 9), and what the request log never carries (section 3).
 */
describe('Sentry reporting (probe app process, loopback Sentry)', () => {
  let environment: TestEnvironment;
  let recorder: SentryRecorder;
  let app: AppProcess;
  let amqp: AmqpProbe;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    recorder = await SentryRecorder.start();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = spawnApp(
      'probe-app',
      {
        ...environment.env,
        PORT: String(port),
        SENTRY_DSN: recorder.dsn,
        API_KEYS: API_KEY,
        LOG_LEVEL: 'info',
        // A failing handler's message is dead-lettered at its second failure.
        CONSUMER_RETRY_DELAYS: '50ms',
        OUTBOX_POLL_INTERVAL_MS: '100',
      },
      PROBE_APP_MAIN,
    );
    await untilReady(port);
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  }, 90_000);

  afterAll(async () => {
    await amqp?.close();
    app?.child.kill('SIGKILL');
    await app?.exited;
    await recorder?.close();
    await environment?.teardown();
  });

  it('reports a 5xx tagged with the app, without headers, cookies, query string or body', async () => {
    const response = await fetch(`${baseUrl}/probe/boom?api_key=secret123&token=tok-456`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${API_KEY}`,
        cookie: 'session=cookie-789',
        'content-type': 'application/json',
        'x-request-id': 'sentry-5xx',
      },
      body: JSON.stringify({ name: 'body-value-000' }),
    });
    expect(response.status).toBe(500);
    const event = await recorder.waitForEvent((candidate) => candidate.tags?.kind === 'http-5xx');
    expect(event.tags).toMatchObject({ app: 'probe-app', kind: 'http-5xx' });
    expect(event.exception?.values?.[0].value).toBe('secret internal detail');
    expect(event.request).toEqual({ method: 'POST', url: `${baseUrl}/probe/boom` });
    const sent = recorder.raw.join('\n');
    for (const leaked of [API_KEY, 'cookie-789', 'body-value-000', 'secret123', 'tok-456']) {
      expect(sent).not.toContain(leaked);
    }
  });

  it('never logs a query string credential (the request log names the parameters only)', async () => {
    const response = await fetch(`${baseUrl}/no-such-route?api_key=secret123&token=tok-456`, {
      headers: { 'x-request-id': 'query-credentials' },
    });
    expect([401, 404]).toContain(response.status);
    const line = await eventually(() => {
      const found = app
        .stdout()
        .split('\n')
        .find((candidate) => candidate.includes('"requestId":"query-credentials"'));
      if (!found) throw new Error('no request log line yet');
      return found;
    });
    expect(JSON.parse(line)).toMatchObject({ req: { url: '/no-such-route?api_key=[redacted]&token=[redacted]' } });
    expect(app.stdout()).not.toContain('secret123');
    expect(app.stdout()).not.toContain('tok-456');
    expect(app.stdout()).toContain('"requestId":"sentry-5xx"');
  });

  it('reports a dead-lettered message tagged with its queue, event id and reason', async () => {
    const failing = buildEnvelope({ source: '/elsewhere', type: 'probe.fail', subject: randomUUID(), data: {} });
    amqp.publishEvent(PROBE_EXCHANGE, failing);
    const event = await recorder.waitForEvent((candidate) => candidate.tags?.eventId === failing.id);
    expect(event.tags).toMatchObject({
      app: 'probe-app',
      kind: 'dead-letter',
      queue: PROBE_QUEUE,
      eventId: failing.id,
      reason: 'handler-failed',
    });
  });

  it('reports a malformed message dead-lettered before any handler ran', async () => {
    const id = randomUUID();
    amqp.channel.publish(PROBE_EXCHANGE, 'probe.broken', Buffer.from('{"not":"an envelope"}'), { messageId: id });
    const event = await recorder.waitForEvent((candidate) => candidate.tags?.eventId === id);
    expect(event.tags).toMatchObject({ app: 'probe-app', queue: PROBE_QUEUE, reason: 'invalid-envelope' });
  });

  it('reports a failed background task (the outbox relay losing its table)', async () => {
    await sql(environment.databaseUrl, 'ALTER TABLE probe.outbox RENAME TO outbox_away');
    try {
      const event = await recorder.waitForEvent((candidate) => candidate.tags?.kind === 'background-task');
      expect(event.tags).toMatchObject({ app: 'probe-app', task: 'outbox-relay' });
    } finally {
      await sql(environment.databaseUrl, 'ALTER TABLE probe.outbox_away RENAME TO outbox');
    }
  });
});
