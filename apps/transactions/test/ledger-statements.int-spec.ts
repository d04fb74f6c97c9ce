import { sql, useTestApp } from '@app/testing';
import { appDefinition } from '../src/app.definition';

interface Statement {
  calls: number;
  query: string;
}

/**
 * What the ledger sends PostgreSQL per change, counted by pg_stat_statements (preloaded on the
 * test cluster): after the account is locked, the change, its effect on the balance and its
 * events are one statement. The relay's own statements on the outbox are left out.
 */
describe('ledger statements', () => {
  const setup = useTestApp(appDefinition);

  const ledgerStatements = async (): Promise<Statement[]> =>
    sql<Statement>(
      setup.environment.databaseUrl,
      `SELECT calls::int AS calls, query FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND (query ~ 'transactions\\.(accounts|transactions)' OR query ~ 'INSERT INTO "transactions"\\.outbox')
       ORDER BY query`,
    );

  const measure = async (work: () => Promise<unknown>): Promise<Statement[]> => {
    await sql(setup.environment.databaseUrl, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await sql(
      setup.environment.databaseUrl,
      `SELECT pg_stat_statements_reset(0::oid, (SELECT oid FROM pg_database WHERE datname = current_database()), 0::bigint)`,
    );
    await work();
    return ledgerStatements();
  };

  const total = (statements: Statement[]) => statements.reduce((sum, s) => sum + s.calls, 0);

  it('records a completed transaction with a lock and one statement that writes it, the balance and both events', async () => {
    const account = await setup.api.openAccount();
    const statements = await measure(async () => {
      for (let i = 0; i < 5; i++) await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
    });

    expect(total(statements)).toBe(10);
    const write = statements.find((s) => s.query.includes('INSERT INTO transactions.transactions'));
    expect(write?.calls).toBe(5);
    expect(write?.query).toMatch(/UPDATE transactions\.accounts/);
    expect(write?.query).toMatch(/INSERT INTO "transactions"\.outbox/);
  });

  it('records a pending transaction and its event in one statement after the lock', async () => {
    const account = await setup.api.openAccount();
    const statements = await measure(() =>
      setup.api.record({ accountId: account.id, type: 'deposit', amount: '100', status: 'pending' }),
    );

    expect(total(statements)).toBe(2);
    expect(statements.find((s) => s.query.includes('INSERT INTO transactions.transactions'))?.query).not.toMatch(
      /UPDATE transactions\.accounts/,
    );
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

    expect(total(statements)).toBe(2);
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
  });
});
