import { EXCHANGES } from '@app/contracts';
import { AmqpProbe, eventually, useTestApp } from '@app/testing';
import { appDefinition } from '../src/app.definition';

interface BalanceEvent {
  type: string;
  subject: string;
  data: { balance: string; version: number; transactionId: string };
}

describe('balance integrity under concurrency', () => {
  const setup = useTestApp(appDefinition);
  let probe: AmqpProbe;

  beforeAll(async () => {
    probe = await AmqpProbe.connect(setup.environment.rabbitmqUrl);
    await probe.listen(EXCHANGES.transactions, 'account.balance_updated');
  });

  afterAll(async () => {
    await probe?.close();
  });

  it('concurrent changes of one account: versions 1..n without gaps, published in that order, each with the balance its change left', async () => {
    const account = await setup.api.openAccount();
    const amounts = Array.from({ length: 30 }, (_, i) => 100 + i);
    const created = await Promise.all(
      amounts.map((amount) =>
        setup.api.post('/transactions', {
          accountId: account.id,
          type: 'deposit',
          amount: String(amount),
          currency: 'EUR',
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(amounts.map(() => 201));
    const amountOf = new Map(created.map((r, i) => [r.body.id as string, amounts[i]]));
    const events = () => probe.bodies<BalanceEvent>().filter((e) => e.subject === account.id);
    await eventually(() => expect(events()).toHaveLength(amounts.length));
    // Published in the order the changes committed (per-account order), so in version order.
    const byVersion = events();
    expect(byVersion.map((e) => e.data.version)).toEqual(amounts.map((_, i) => i + 1));
    let balance = 0;
    for (const event of byVersion) {
      balance += amountOf.get(event.data.transactionId) as number;
      expect(event.data.balance).toBe(String(balance));
    }
    expect(await setup.api.balance(account.id)).toBe(String(balance));
  });

  it('50 concurrent withdrawals against a balance that covers 10: exactly 10 complete, balance zero', async () => {
    const account = await setup.api.openAccount();
    await setup.api.record({ accountId: account.id, type: 'deposit', amount: '1000' });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        setup.api.post('/transactions', { accountId: account.id, type: 'withdrawal', amount: '100', currency: 'EUR' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(40);
    expect(await setup.api.balance(account.id)).toBe('0');
    const completed = await setup.api.get('/transactions', { accountId: account.id, type: 'withdrawal', limit: 100 });
    expect(completed.body.data).toHaveLength(10);
  });

  it('concurrent completions of pending debits never overdraw', async () => {
    const account = await setup.api.openAccount();
    await setup.api.record({ accountId: account.id, type: 'deposit', amount: '300' });
    const pending = await Promise.all(
      Array.from({ length: 10 }, () =>
        setup.api.record({ accountId: account.id, type: 'charge', amount: '100', status: 'pending' }),
      ),
    );
    const responses = await Promise.all(
      pending.map((t) => setup.api.patch(`/transactions/${t.id}`, { status: 'completed' })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(7);
    expect(await setup.api.balance(account.id)).toBe('0');
  });
});
