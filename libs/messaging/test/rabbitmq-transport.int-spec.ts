import { buildEnvelope } from '@app/contracts';
import {
  AmqpProbe,
  createTestEnvironment,
  eventually,
  metricValue,
  PROBE_EXCHANGE,
  PROBE_QUEUE,
  probeAppDefinition,
  ProbeConsumer,
  RunningTestApp,
  sql,
  startTestApp,
  TestEnvironment,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEAD_LETTER_HEADERS, RETRY_COUNT_HEADER } from '../src';

function probeEvent(type: string, data: Record<string, unknown> = {}) {
  return buildEnvelope({ source: '/somewhere-else', type, subject: randomUUID(), data });
}

describe('RabbitMQ transport (probe app over a real broker)', () => {
  let environment: TestEnvironment;
  let probe: RunningTestApp;
  let amqp: AmqpProbe;

  const publish = (routingKey: string, body: unknown) =>
    amqp.channel.publish(
      PROBE_EXCHANGE,
      routingKey,
      Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      {
        persistent: true,
        contentType: 'application/cloudevents+json',
      },
    );

  beforeAll(async () => {
    environment = await createTestEnvironment();
    probe = await startTestApp(probeAppDefinition, environment, {
      CONSUMER_RETRY_DELAYS: '2s,2s',
      MAX_EVENT_BYTES: '2048',
    });
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterAll(async () => {
    await amqp?.close();
    await probe?.close();
    await environment?.teardown();
  });

  beforeEach(() => {
    ProbeConsumer.handled.length = 0;
    ProbeConsumer.attempts.clear();
  });

  it('exports the depth of its dead-letter queue, read from the broker at every scrape', async () => {
    const depth = async () => {
      const metrics = (await request(probe.url).get('/metrics')).text;
      const line = new RegExp(`^dead_letter_queue_messages\\{[^}]*queue="${PROBE_QUEUE}\\.dlq"[^}]*\\} (\\d+)$`, 'm');
      return Number(line.exec(metrics)?.[1]);
    };
    expect(await depth()).toBe(0);
    publish('probe.broken', '{oops');
    publish('probe.broken', '{oops again');
    await eventually(async () => expect(await depth()).toBe(2));
    await eventually(async () => expect(await amqp.drain(`${PROBE_QUEUE}.dlq`)).toHaveLength(2));
    await eventually(async () => expect(await depth()).toBe(0));
  });

  it('times each handler run by queue and outcome', async () => {
    const series = async () => {
      const metrics = (await request(probe.url).get('/metrics')).text;
      const handler = (suffix: string, labels: Record<string, string>) =>
        metricValue(metrics, `message_handler_duration_seconds_${suffix}`, { queue: PROBE_QUEUE, ...labels }) ?? NaN;
      return {
        succeeded: handler('count', { outcome: 'succeeded' }),
        succeededWithinHalfASecond: handler('bucket', { outcome: 'succeeded', le: '0.5' }),
        succeededWithinASecond: handler('bucket', { outcome: 'succeeded', le: '1' }),
        failed: handler('count', { outcome: 'failed' }),
      };
    };
    const before = await series();
    const slow = probeEvent('probe.slow', { delayMs: 600 });
    const failOnce = probeEvent('probe.fail', { failTimes: 1 });
    publish('probe.slow', slow);
    publish('probe.fail', failOnce);
    // The failing event succeeds on its retry, 2 s later.
    await eventually(
      () => expect(ProbeConsumer.handled.map((e) => e.id).sort()).toEqual([slow.id, failOnce.id].sort()),
      {
        timeoutMs: 15_000,
      },
    );
    await eventually(async () => {
      const after = await series();
      expect({
        succeeded: after.succeeded - before.succeeded,
        succeededWithinHalfASecond: after.succeededWithinHalfASecond - before.succeededWithinHalfASecond,
        succeededWithinASecond: after.succeededWithinASecond - before.succeededWithinASecond,
        failed: after.failed - before.failed,
      }).toEqual({ succeeded: 2, succeededWithinHalfASecond: 1, succeededWithinASecond: 2, failed: 1 });
    });
  });

  it('declares its queue as a quorum queue dead-lettering into <queue>.dlq before it reports ready', async () => {
    const queue = await environment.rabbitmq.queue(environment.vhost, PROBE_QUEUE);
    expect(queue?.arguments).toMatchObject({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': `${PROBE_QUEUE}.dlq`,
      'x-dead-letter-strategy': 'at-least-once',
    });
    expect(await environment.rabbitmq.queue(environment.vhost, `${PROBE_QUEUE}.dlq`)).not.toBeNull();
    expect(await environment.rabbitmq.queue(environment.vhost, `${PROBE_EXCHANGE}.unrouted`)).not.toBeNull();
  });

  it('keeps messages that no queue is bound for in <exchange>.unrouted', async () => {
    const event = probeEvent('nobody.listens');
    publish('nobody.listens', event);
    const kept = await eventually(async () => {
      const messages = await amqp.drain(`${PROBE_EXCHANGE}.unrouted`);
      expect(messages).toHaveLength(1);
      return messages[0];
    });
    expect(JSON.parse(kept.content.toString()).id).toBe(event.id);
  });

  it('dispatches a CloudEvent from any publisher to the handler whose topic pattern matches its type', async () => {
    const event = probeEvent('probe.created', { n: 1 });
    publish('probe.created', event);
    await eventually(() => expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([event.id]));
    expect(ProbeConsumer.handled[0]).toEqual(event);
  });

  it.each([
    ['not JSON', '{oops', 'invalid-envelope', 'body is not valid JSON'],
    ['not a CloudEvent', { hello: 'world' }, 'invalid-envelope', 'specversion must be "1.0"'],
    ['over MAX_EVENT_BYTES', `{${' '.repeat(2_047)}}`, 'too-large', '2049 bytes, more than MAX_EVENT_BYTES (2048)'],
    [
      'against the schema of its type',
      probeEvent('probe.broken', { forged: true }),
      'schema-violation',
      'data breaks the probe schema',
    ],
  ])(
    'parks a message that is %s in the DLQ with the reason, unhandled, and keeps consuming',
    async (_, body, reason, detail) => {
      publish('probe.broken', body);
      const after = probeEvent('probe.after');
      publish('probe.after', after);
      await eventually(() => expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([after.id]));
      const parked = await eventually(async () => {
        const messages = await amqp.drain(`${PROBE_QUEUE}.dlq`);
        expect(messages).toHaveLength(1);
        return messages[0];
      });
      expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe(reason);
      expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.detail]).toBe(detail);
      expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.queue]).toBe(PROBE_QUEUE);
      expect(parked.content.toString()).toBe(typeof body === 'string' ? body : JSON.stringify(body));
    },
  );

  it('retries a failing handler after each delay of the schedule, then parks the event with the reason', async () => {
    const failing = probeEvent('probe.fail');
    publish('probe.fail', failing);
    // The queue keeps flowing while the failing event waits in its delay queue.
    const meanwhile = probeEvent('probe.meanwhile');
    publish('probe.meanwhile', meanwhile);
    await eventually(() => expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([meanwhile.id]), {
      timeoutMs: 1_500,
    });
    const parked = await eventually(async () => {
      const messages = await amqp.drain(`${PROBE_QUEUE}.dlq`);
      expect(messages).toHaveLength(1);
      return messages[0];
    });
    expect(ProbeConsumer.attempts.get(failing.id)).toBe(3);
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe(
      'handler failed after 3 attempts: probe handler refused the event',
    );
    expect(parked.properties.headers?.[RETRY_COUNT_HEADER]).toBe(2);
    expect(JSON.parse(parked.content.toString()).id).toBe(failing.id);
  });

  it('applies an event whose handler fails once on its retry, without dead-lettering it', async () => {
    const flaky = probeEvent('probe.fail', { failTimes: 1 });
    publish('probe.fail', flaky);
    await eventually(() => expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([flaky.id]));
    expect(ProbeConsumer.attempts.get(flaky.id)).toBe(2);
    expect(await amqp.drain(`${PROBE_QUEUE}.dlq`)).toHaveLength(0);
  });

  it('never parks an event whose handler fails for a transient reason: it retries past the schedule', async () => {
    // Five failures against a schedule of two retries: a database that stays away for a while.
    const outage = probeEvent('probe.fail', { failTimes: 5, transient: true });
    publish('probe.fail', outage);
    await eventually(() => expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([outage.id]), {
      timeoutMs: 20_000,
    });
    expect(ProbeConsumer.attempts.get(outage.id)).toBe(6);
    expect(await amqp.drain(`${PROBE_QUEUE}.dlq`)).toHaveLength(0);
  });

  it('applies an event delivered twice only once (inbox)', async () => {
    const effect = probeEvent('probe.effect');
    publish('probe.effect', effect);
    publish('probe.effect', effect);
    await eventually(() => expect(ProbeConsumer.handled.filter((e) => e.id === effect.id)).toHaveLength(2));
    const rows = await sql(environment.databaseUrl, 'SELECT event_id FROM probe.effects WHERE event_id = $1', [
      effect.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('reports not ready while the broker connection is gone and recovers by itself', async () => {
    await eventually(async () =>
      expect((await environment.rabbitmq.connections(environment.vhost)).length).toBeGreaterThan(1),
    );
    await environment.rabbitmq.closeConnections(environment.vhost);
    await eventually(async () => {
      const response = await request(probe.url).get('/health/ready');
      expect(response.status).toBe(503);
      expect(response.body.details.rabbitmq.status).toBe('down');
    });
    await eventually(async () => expect((await request(probe.url).get('/health/ready')).status).toBe(200), {
      timeoutMs: 20_000,
    });
    // The probe's own connection was closed too.
    await amqp.close();
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
    const event = probeEvent('probe.after_reconnect');
    publish('probe.after_reconnect', event);
    await eventually(() => expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([event.id]));
  });
});

describe('RabbitMQ transport shutdown', () => {
  it('finishes the handler in flight and acks it before closing', async () => {
    const environment = await createTestEnvironment();
    try {
      const probe = await startTestApp(probeAppDefinition, environment);
      const amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
      ProbeConsumer.handled.length = 0;
      const slow = probeEvent('probe.slow', { delayMs: 700 });
      amqp.channel.publish(PROBE_EXCHANGE, 'probe.slow', Buffer.from(JSON.stringify(slow)));
      await eventually(async () => {
        const queue = await amqp.channel.checkQueue(PROBE_QUEUE);
        expect(queue.messageCount).toBe(0); // delivered to the app, not yet finished
      });
      await probe.close();
      expect(ProbeConsumer.handled.map((e) => e.id)).toEqual([slow.id]);
      // Acked: nothing is waiting to be redelivered.
      const queue = await amqp.channel.checkQueue(PROBE_QUEUE);
      expect(queue.messageCount).toBe(0);
      await amqp.close();
    } finally {
      await environment.teardown();
    }
  });

  it('acks every message it handled, those finished together and those after one still running: none comes back', async () => {
    const environment = await createTestEnvironment();
    const settings = { CONSUMER_PREFETCH: '20' };
    try {
      let probe = await startTestApp(probeAppDefinition, environment, settings);
      const amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
      ProbeConsumer.handled.length = 0;
      const events = [
        probeEvent('probe.slow', { delayMs: 1_500 }),
        ...Array.from({ length: 60 }, () => probeEvent('probe.seen')),
      ];
      for (const event of events) amqp.channel.publish(PROBE_EXCHANGE, event.type, Buffer.from(JSON.stringify(event)));
      await eventually(() => expect(ProbeConsumer.handled).toHaveLength(events.length));
      await probe.close();

      // Anything left unacked would be delivered again to the next consumer.
      probe = await startTestApp(probeAppDefinition, environment, settings);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await probe.close();
      expect(ProbeConsumer.handled).toHaveLength(events.length);
      expect((await amqp.channel.checkQueue(PROBE_QUEUE)).messageCount).toBe(0);
      await amqp.close();
    } finally {
      await environment.teardown();
    }
  });
});
