import { useTestApp } from '@app/testing';
import { appDefinition } from '../src/app.definition';

describe('balance integrity under concurrency', () => {
  const setup = useTestApp(appDefinition);

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
