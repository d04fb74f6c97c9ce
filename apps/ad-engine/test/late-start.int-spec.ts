import {
  ApiClient,
  AppProcess,
  createTestEnvironment,
  eventually,
  freePort,
  RunningTestApp,
  spawnApp,
  untilReady,
  startTestApp,
  TestEnvironment,
} from '@app/testing';
import { appDefinition } from '../src/app.definition';

describe('an ad engine that starts after the transactions service', () => {
  let environment: TestEnvironment;
  let transactions: AppProcess;
  let engine: RunningTestApp | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await engine?.close();
    transactions?.child.kill('SIGTERM');
    await transactions?.exited;
    await environment?.teardown();
  });

  it('catches up from GET /events on what was published before its queue existed', async () => {
    const port = await freePort();
    transactions = spawnApp('transactions', { ...environment.env, PORT: String(port), API_KEYS: 'shared-key' });
    const ledger = new ApiClient(`http://127.0.0.1:${port}`, 'shared-key');
    await untilReady(port);
    const account = await ledger.openAccount();
    await ledger.record({ accountId: account.id, type: 'deposit', amount: '900' });
    await ledger.record({ accountId: account.id, type: 'charge', amount: '150' });
    await eventually(async () =>
      expect((await ledger.get('/events', { type: 'account.balance_updated' })).body.data).toHaveLength(2),
    );

    engine = await startTestApp(appDefinition, environment, {
      TRANSACTIONS_URL: `http://127.0.0.1:${port}`,
      API_KEYS: 'shared-key',
    });
    const adEngine = new ApiClient(engine.url, 'shared-key');
    await eventually(async () =>
      expect((await adEngine.get(`/funds/${account.id}`)).body).toMatchObject({ balance: '750', version: 2 }),
    );

    // From here on the queue carries new events; both paths together apply each one once.
    await ledger.record({ accountId: account.id, type: 'deposit', amount: '250' });
    await eventually(async () =>
      expect((await adEngine.get(`/funds/${account.id}`)).body).toMatchObject({ balance: '1000', version: 3 }),
    );
  });
});
