import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
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
} from '@app/testing';
import { appDefinition } from '../src/app.definition';

const ACCOUNTS = 50;
const TRANSACTIONS = 1_000;
const MIN_BALANCE = 500n;

/**
 * The whole flow across two processes: the transactions service (its real main.ts) publishes
 * balance changes, the ad engine learns them over RabbitMQ and flips campaigns.
 */
describe('ad-engine projection of the transactions ledger', () => {
  let environment: TestEnvironment;
  let transactions: AppProcess;
  let engine: RunningTestApp;
  let ledger: ApiClient;
  let adEngine: ApiClient;
  let amqp: AmqpProbe;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const port = await freePort();
    transactions = spawnApp('transactions', { ...environment.env, PORT: String(port) });
    engine = await startTestApp(appDefinition, environment, { CONSUMER_PREFETCH: '50' });
    ledger = new ApiClient(`http://127.0.0.1:${port}`);
    adEngine = new ApiClient(engine.url);
    await untilReady(port);
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
    await amqp.listen(EXCHANGES.adEngine, 'campaign.*');
  });

  afterAll(async () => {
    await amqp?.close();
    transactions?.child.kill('SIGTERM');
    await transactions?.exited;
    await engine?.close();
    await environment?.teardown();
  });

  it('after a burst of 1,000 transactions over 50 accounts: projection = ledger, one campaign event per crossing', async () => {
    const accounts = await Promise.all(Array.from({ length: ACCOUNTS }, () => ledger.openAccount('EUR')));
    const campaigns = new Map<string, string>();
    for (const account of accounts) {
      const response = await adEngine.post('/campaigns', {
        accountId: account.id,
        name: 'Burst',
        minBalance: MIN_BALANCE.toString(),
      });
      campaigns.set(account.id, response.body.id);
    }

    // Deposits and withdrawals that swing each balance back and forth across the threshold.
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < TRANSACTIONS) {
          const i = next++;
          const account = accounts[i % ACCOUNTS];
          const withdraw = Math.floor(i / ACCOUNTS) % 3 === 2;
          const amount = String(200 + ((i * 37) % 400));
          const response = await ledger.post('/transactions', {
            accountId: account.id,
            type: withdraw ? 'withdrawal' : 'deposit',
            amount,
            currency: 'EUR',
          });
          expect([201, 422]).toContain(response.status);
        }
      }),
    );

    const balances = await sql<{ id: string; balance: string; balance_version: number }>(
      environment.databaseUrl,
      'SELECT id, balance::text AS balance, balance_version FROM transactions.accounts',
    );
    await eventually(
      async () => {
        const projected = await sql<{ account_id: string; balance: string; version: number }>(
          environment.databaseUrl,
          'SELECT account_id, balance::text AS balance, version FROM ad_engine.funds',
        );
        const byAccount = new Map(projected.map((row) => [row.account_id, row]));
        for (const account of balances.filter((b) => b.balance_version > 0)) {
          expect(byAccount.get(account.id)).toMatchObject({
            balance: account.balance,
            version: account.balance_version,
          });
        }
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    // Every campaign's events alternate, starting from its creation status (paused: no funds
    // known) and ending in the status its final balance calls for: one event per crossing.
    await eventually(
      async () => {
        const events = amqp.bodies<{ id: string; subject: string; type: string }>();
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        for (const account of balances) {
          const campaignId = campaigns.get(account.id) as string;
          const types = events.filter((e) => e.subject === campaignId).map((e) => e.type);
          const expectedFinal = BigInt(account.balance) >= MIN_BALANCE ? 'campaign.activated' : 'campaign.paused';
          expect(types[0]).toBe('campaign.paused');
          expect(types[types.length - 1]).toBe(expectedFinal);
          types.forEach((type, index) => index > 0 && expect(type).not.toBe(types[index - 1]));
          const status = (await adEngine.get(`/campaigns/${campaignId}`)).body.status;
          expect(status).toBe(expectedFinal === 'campaign.activated' ? 'active' : 'paused');
        }
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const flips = amqp.bodies<{ type: string }>().length - ACCOUNTS;
    expect(flips).toBeGreaterThan(ACCOUNTS);
  });
});
