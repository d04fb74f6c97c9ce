import { StatementRecorder, useTestApp } from '@app/testing';
import { appDefinition } from '../src/app.definition';

interface Statement {
  calls: number;
  query: string;
}

/**
 * What the ledger sends PostgreSQL per change, as the app's pg clients send it (StatementRecorder:
 * no server extension needed). A new transaction is one statement that locks the account, checks
 * it, and writes the transaction, the balance and the events; a status change locks first, then
 * writes the change, its effect on the balance and its events in one statement. The relay's own
 * statements are left out; BEGIN and COMMIT are counted.
 */
describe('ledger statements', () => {
  const setup = useTestApp(appDefinition);

  const LEDGER =
    /transactions\.(accounts|transactions)|INSERT INTO "transactions"\.outbox|^(START TRANSACTION|BEGIN|COMMIT)/;

  const measure = async (work: () => Promise<unknown>): Promise<Statement[]> => {
    const recorder = StatementRecorder.start();
    try {
      await work();
    } finally {
      recorder.stop();
    }
    const calls = new Map<string, number>();
    for (const { text } of recorder.matching(LEDGER, /^(?!.*-outbox-relay$)/))
      calls.set(text, (calls.get(text) ?? 0) + 1);
    return [...calls].map(([query, count]) => ({ query, calls: count }));
  };

  const total = (statements: Statement[]) => statements.reduce((sum, s) => sum + s.calls, 0);

  it('records a completed transaction with one statement that locks the account and writes it, the balance and both events', async () => {
    const account = await setup.api.openAccount();
    const statements = await measure(async () => {
      for (let i = 0; i < 5; i++) await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
    });

    expect(statements).toHaveLength(1);
    const [write] = statements;
    expect(write.calls).toBe(5);
    expect(write.query).toMatch(/FOR UPDATE/);
    expect(write.query).toMatch(/INSERT INTO transactions\.transactions/);
    expect(write.query).toMatch(/UPDATE transactions\.accounts/);
    expect(write.query).toMatch(/INSERT INTO "transactions"\.outbox/);
  });

  it('records a pending transaction and its event with one statement, without moving the balance', async () => {
    const account = await setup.api.openAccount();
    const statements = await measure(() =>
      setup.api.record({ accountId: account.id, type: 'deposit', amount: '100', status: 'pending' }),
    );

    expect(total(statements)).toBe(1);
    expect(statements[0].query).toMatch(/INSERT INTO transactions\.transactions/);
    expect(statements[0].query).not.toMatch(/UPDATE transactions\.accounts/);
  });

  it('completes a pending transaction with one locking statement and one that writes the change and its events', async () => {
    const account = await setup.api.openAccount();
    const pending = await setup.api.record({
      accountId: account.id,
      type: 'deposit',
      amount: '100',
      status: 'pending',
    });
    const statements = await measure(() => setup.api.patch(`/transactions/${pending.id}`, { status: 'completed' }));

    expect(statements.map((s) => s.query)).toEqual([
      expect.stringMatching(/^START TRANSACTION/),
      expect.stringMatching(/FOR UPDATE/),
      expect.stringMatching(/UPDATE transactions\.transactions/),
      'COMMIT',
    ]);
    const write = statements.find((s) => s.query.includes('UPDATE transactions.transactions'));
    expect(write?.query).toMatch(/UPDATE transactions\.accounts/);
    expect(write?.query).toMatch(/INSERT INTO "transactions"\.outbox/);
    expect(await setup.api.balance(account.id)).toBe('100');
  });

  it('writes nothing for a withdrawal the balance does not cover', async () => {
    const account = await setup.api.openAccount();
    const statements = await measure(() =>
      setup.api.post('/transactions', { accountId: account.id, type: 'withdrawal', amount: '1', currency: 'EUR' }),
    );

    expect(statements.map((s) => s.query)).toEqual([expect.stringMatching(/FOR UPDATE/)]);
    expect(await setup.api.balance(account.id)).toBe('0');
    expect((await setup.api.get('/transactions', { accountId: account.id })).body.data).toEqual([]);
  });
});
