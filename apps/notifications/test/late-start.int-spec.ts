import {
  ApiClient,
  AppProcess,
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
import { appDefinition } from '../src/app.definition';

describe('a notifications service that starts after the transactions service', () => {
  let environment: TestEnvironment;
  let transactions: AppProcess;
  let notifications: RunningTestApp | undefined;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await notifications?.close();
    transactions?.child.kill('SIGTERM');
    await transactions?.exited;
    await receiver.close();
    await environment?.teardown();
  });

  it('replays events published before it ever ran, read from GET /events', async () => {
    const port = await freePort();
    transactions = spawnApp('transactions', { ...environment.env, PORT: String(port), API_KEYS: 'shared-key' });
    const ledger = new ApiClient(`http://127.0.0.1:${port}`, 'shared-key');
    await untilReady(port);
    const account = await ledger.openAccount();
    await ledger.record({ accountId: account.id, type: 'deposit', amount: '900' });
    const published = await eventually(async () => {
      const data = (await ledger.get('/events')).body.data as { id: string }[];
      expect(data.length).toBeGreaterThanOrEqual(2);
      return data.map((event) => event.id);
    });

    notifications = await startTestApp(appDefinition, environment, {
      TRANSACTIONS_URL: `http://127.0.0.1:${port}`,
      API_KEYS: 'shared-key',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    const api = new ApiClient(notifications.url, 'shared-key');
    const endpoint = (await api.post('/webhooks', { url: receiver.url })).body;
    await eventually(async () => {
      const replayed = await api.post(`/webhooks/${endpoint.id}/replay`, { since: '2000-01-01T00:00:00Z' });
      expect(replayed.body.replayed).toBe(published.length);
    });

    await eventually(() =>
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(published)),
    );
  });

  it('keeps trying when the transactions service is down at its start, and catches up once it is back', async () => {
    // Its own database and vhost: notifications has never run there.
    const own = await createTestEnvironment();
    const port = await freePort();
    const start = () => spawnApp('transactions', { ...own.env, PORT: String(port), API_KEYS: 'shared-key' });
    const ledger = new ApiClient(`http://127.0.0.1:${port}`, 'shared-key');
    let producer = start();
    let consumer: RunningTestApp | undefined;
    try {
      await untilReady(port);
      const account = await ledger.openAccount();
      await ledger.record({ accountId: account.id, type: 'deposit', amount: '100' });
      const published = await eventually(async () => {
        const data = (await ledger.get('/events')).body.data as { id: string }[];
        expect(data.length).toBeGreaterThanOrEqual(2);
        return data.map((event) => event.id);
      });
      // Down when notifications starts; back a moment later.
      producer.child.kill('SIGTERM');
      await producer.exited;
      consumer = await startTestApp(appDefinition, own, {
        TRANSACTIONS_URL: `http://127.0.0.1:${port}`,
        API_KEYS: 'shared-key',
      });
      producer = start();
      await untilReady(port);

      const archived = async () =>
        (await sql(own.databaseUrl, 'SELECT event_id FROM notifications.event_archive')).map((row) => row.event_id);
      await eventually(async () => expect(await archived()).toEqual(expect.arrayContaining(published)), {
        timeoutMs: 20_000,
      });
    } finally {
      await consumer?.close();
      producer.child.kill('SIGTERM');
      await producer.exited;
      await own.teardown();
    }
  });
});
