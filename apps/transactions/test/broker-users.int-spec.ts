import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  ApiClient,
  AppProcess,
  catalogueEvent,
  createTestEnvironment,
  eventually,
  freePort,
  RunningTestApp,
  spawnApp,
  startTestApp,
  TestEnvironment,
  untilReady,
  WebhookReceiver,
} from '@app/testing';
import amqplib from 'amqplib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appDefinition } from '../src/app.definition';

const APPS = ['transactions', 'ad-engine', 'notifications'] as const;
type App = (typeof APPS)[number];

interface Permission {
  user: string;
  configure: string;
  write: string;
  read: string;
}

/** The permissions docker-compose's broker loads: the very regexes under test. */
const DEFINITIONS = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../ops/rabbitmq/definitions.json'), 'utf8'),
) as { permissions: Permission[] };

/**
 * Each app on its own broker user with the permissions of ops/rabbitmq/definitions.json (CONTRACT.md
 * section 9), in a vhost of its own: they boot and work together, and none can publish to an
 * exchange that is not its own.
 */
describe('broker users: each app with only the permissions it needs', () => {
  let environment: TestEnvironment;
  let transactions: RunningTestApp | undefined;
  const processes: AppProcess[] = [];
  const ports: Partial<Record<App, number>> = {};
  let receiver: WebhookReceiver | undefined;
  let forger: AmqpProbe | undefined;

  const userName = (app: App) => `${environment.name}.${app}`;
  const password = (app: App) => `${app}-test-password`;
  const urlFor = (app: App) => {
    const url = new URL(environment.rabbitmqUrl);
    url.username = encodeURIComponent(userName(app));
    url.password = password(app);
    return url.toString();
  };
  const apiOf = (app: Exclude<App, 'transactions'>) => new ApiClient(`http://127.0.0.1:${ports[app]}`);

  beforeAll(async () => {
    environment = await createTestEnvironment();
    for (const app of APPS) {
      const { configure, write, read } = DEFINITIONS.permissions.find(
        (permission) => permission.user === app,
      ) as Permission;
      await environment.rabbitmq.createUser(userName(app), password(app));
      await environment.rabbitmq.setPermissions(environment.vhost, userName(app), { configure, write, read });
    }
    transactions = await startTestApp(appDefinition, environment, { RABBITMQ_URL: urlFor('transactions') });
    for (const app of ['ad-engine', 'notifications'] as const) {
      ports[app] = await freePort();
      processes.push(
        spawnApp(app, {
          ...environment.env,
          RABBITMQ_URL: urlFor(app),
          PORT: String(ports[app]),
          TRANSACTIONS_URL: transactions.url,
          WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        }),
      );
    }
    await Promise.all([untilReady(ports['ad-engine'] as number), untilReady(ports.notifications as number)]);
    receiver = await WebhookReceiver.start();
    forger = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterAll(async () => {
    await forger?.close();
    await receiver?.close();
    for (const child of processes) child.child.kill('SIGTERM');
    await Promise.all(processes.map((child) => child.exited));
    await transactions?.close();
    for (const app of APPS) await environment?.rabbitmq.deleteUser(userName(app)).catch(() => undefined);
    await environment?.teardown();
  });

  it('boots every app and carries a deposit through all three: funds, campaign, webhooks, dead-lettering', async () => {
    const ledger = new ApiClient((transactions as RunningTestApp).url);
    const endpoint = await apiOf('notifications').post('/webhooks', { url: (receiver as WebhookReceiver).url });
    expect(endpoint.status).toBe(201);
    const account = await ledger.openAccount();
    const campaign = await apiOf('ad-engine').post('/campaigns', {
      accountId: account.id,
      name: 'Winter sale',
      minBalance: '500',
    });
    expect(campaign.body.status).toBe('paused');

    await ledger.record({ accountId: account.id, type: 'deposit', amount: '1000' });
    await eventually(async () =>
      expect((await apiOf('ad-engine').get(`/funds/${account.id}`)).body).toMatchObject({ balance: '1000' }),
    );
    await eventually(async () =>
      expect((await apiOf('ad-engine').get(`/campaigns/${campaign.body.id}`)).body.status).toBe('active'),
    );
    // notifications read both producers' exchanges, and their own.
    await eventually(() =>
      expect(new Set((receiver as WebhookReceiver).received.map((r) => JSON.parse(r.body).type))).toEqual(
        new Set([
          'account.created',
          'transaction.created',
          'account.balance_updated',
          'campaign.paused',
          'campaign.activated',
        ]),
      ),
    );

    // Refusing a message needs the consumer's write on its own .dlq (through the default exchange).
    (forger as AmqpProbe).publishRaw(EXCHANGES.transactions, 'account.balance_updated', 'not json', 'forged');
    expect(await (forger as AmqpProbe).deadLetterReasons('ad-engine.funds.dlq', 1)).toEqual({
      forged: 'invalid-envelope',
    });
    expect(await (forger as AmqpProbe).deadLetterReasons('notifications.deliveries.dlq', 1)).toEqual({
      forged: 'invalid-envelope',
    });
  });

  it("lets notifications declare, feed and delete a subscription's queue on its own user", async () => {
    const created = await apiOf('notifications').post('/subscriptions', {
      queue: 'broker-users',
      eventTypes: ['account.created'],
    });
    expect(created.status).toBe(201);
    const account = await new ApiClient((transactions as RunningTestApp).url).openAccount();
    await eventually(async () => {
      const message = await (forger as AmqpProbe).channel.get('subscriptions.broker-users', { noAck: true });
      expect(message && JSON.parse(message.content.toString('utf8')).subject).toBe(account.id);
    });
    const deleted = await apiOf('notifications').delete(`/subscriptions/${created.body.id}?deleteQueue=true`);
    expect(deleted.status).toBe(204);
    expect(await environment.rabbitmq.queue(environment.vhost, 'subscriptions.broker-users')).toBeNull();
  });

  it('answers 503 and stores nothing while the broker refuses to declare the queue, and 201 once it allows it', async () => {
    const granted = DEFINITIONS.permissions.find((permission) => permission.user === 'notifications') as Permission;
    await environment.rabbitmq.setPermissions(environment.vhost, userName('notifications'), {
      ...granted,
      configure: '^notifications\\..+$',
    });
    try {
      const refused = await apiOf('notifications').post('/subscriptions', { queue: 'refused' });
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      const listed = (await apiOf('notifications').get('/subscriptions')).body.data as { queue: string }[];
      expect(listed.map((subscription) => subscription.queue)).not.toContain('refused');
    } finally {
      const { configure, write, read } = granted;
      await environment.rabbitmq.setPermissions(environment.vhost, userName('notifications'), {
        configure,
        write,
        read,
      });
    }
    await eventually(async () =>
      expect((await apiOf('notifications').post('/subscriptions', { queue: 'refused' })).status).toBe(201),
    );
  });

  it.each([
    ['ad-engine', EXCHANGES.transactions],
    ['notifications', EXCHANGES.transactions],
    ['transactions', EXCHANGES.adEngine],
    ['ad-engine', EXCHANGES.notifications],
  ] as const)('closes the channel of %s publishing to %s with 403 ACCESS_REFUSED', async (app, exchange) => {
    const connection = await amqplib.connect(urlFor(app));
    try {
      const channel = await connection.createChannel();
      const closed = new Promise<{ code?: number; message: string }>((resolve) => channel.on('error', resolve));
      // A forged but schema-valid event: only the broker's permissions can stop it.
      const forged = catalogueEvent('account.balance_updated', { version: 100_000 });
      channel.publish(exchange, forged.type, Buffer.from(JSON.stringify(forged)), { persistent: true });
      const error = await closed;
      expect(error.code).toBe(403);
      expect(error.message).toContain('ACCESS_REFUSED');
    } finally {
      await connection.close().catch(() => undefined);
    }
  });
});
