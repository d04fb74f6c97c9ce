import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  ApiClient,
  catalogueEvent,
  createTestEnvironment,
  eventually,
  freePort,
  spawnApp,
  startTestApp,
  TestEnvironment,
  untilReady,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

const EVENTS = 300;

/**
 * CONTRACT.md section 8: a subscription forwards every matching event at least once, across a
 * kill -9 of notifications and the loss of every broker connection (what a broker restart does
 * to a client; restarting the shared broker itself would disturb every other test file).
 */
describe('subscription forwarding across failures', () => {
  let environment: TestEnvironment;
  let amqp: AmqpProbe;

  beforeEach(async () => {
    environment = await createTestEnvironment();
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterEach(async () => {
    await amqp.close();
    await environment.teardown();
  });

  /** Ids that reached `subscriptions.<queue>` so far (taking them out), duplicates included. */
  const collect = async (queue: string, into: string[]): Promise<void> => {
    for (let message; (message = await amqp.channel.get(`subscriptions.${queue}`, { noAck: true }));) {
      into.push(String(message.properties.messageId));
    }
  };
  /** Waits until every event published reached the queue at least once. */
  const untilEveryEventArrived = (queue: string, received: string[]) =>
    eventually(
      async () => {
        await collect(queue, received);
        expect(new Set(received).size).toBe(EVENTS);
      },
      { timeoutMs: 60_000 },
    );
  const publishAll = () => {
    const events = Array.from({ length: EVENTS }, () => catalogueEvent('transaction.created'));
    for (const event of events) amqp.publishEvent(EXCHANGES.transactions, event);
    return events.map((event) => event.id);
  };

  it('loses nothing when notifications is killed (kill -9) mid-stream', async () => {
    const queue = `killed-${randomUUID().slice(0, 8)}`;
    const port = await freePort();
    const first = spawnApp('notifications', { ...environment.env, PORT: String(port) });
    const received: string[] = [];
    let published: string[];
    try {
      await untilReady(port);
      expect((await new ApiClient(`http://127.0.0.1:${port}`).post('/subscriptions', { queue })).status).toBe(201);
      published = publishAll();
      await eventually(async () => {
        await collect(queue, received);
        expect(received.length).toBeGreaterThan(0);
      });
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const second = await startTestApp(appDefinition, environment);
    try {
      await untilEveryEventArrived(queue, received);
      expect(new Set(received)).toEqual(new Set(published));
    } finally {
      await second.close();
    }
  }, 120_000);

  it('loses nothing when every broker connection is cut mid-stream', async () => {
    const queue = `cut-${randomUUID().slice(0, 8)}`;
    const app = await startTestApp(appDefinition, environment);
    const received: string[] = [];
    try {
      expect((await new ApiClient(app.url).post('/subscriptions', { queue })).status).toBe(201);
      const published = publishAll();
      await eventually(async () => {
        await collect(queue, received);
        expect(received.length).toBeGreaterThan(0);
      });
      await environment.rabbitmq.closeConnections(environment.vhost);
      // The probe's own connection went too.
      await amqp.close();
      amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
      await untilEveryEventArrived(queue, received);
      expect(new Set(received)).toEqual(new Set(published));
    } finally {
      await app.close();
    }
  }, 120_000);
});
