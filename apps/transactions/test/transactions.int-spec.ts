import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  ApiClient,
  createTestEnvironment,
  eventually,
  expectCatalogueEvent,
  sql,
  startTestApp,
  useTestApp,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

interface Envelope {
  id: string;
  type: string;
  subject: string;
  source: string;
  data: Record<string, unknown>;
}

describe('transactions API', () => {
  let probe: AmqpProbe;

  const eventsFor = (subject: string) => probe.bodies<Envelope>().filter((e) => e.subject === subject);
  const balanceEventsFor = (accountId: string) =>
    eventsFor(accountId).filter((e) => e.type === 'account.balance_updated');

  const setup = useTestApp(appDefinition);

  beforeAll(async () => {
    probe = await AmqpProbe.connect(setup.environment.rabbitmqUrl);
    await probe.listen(EXCHANGES.transactions, '#');
  });

  afterAll(async () => {
    await probe?.close();
  });

  describe('POST /accounts', () => {
    it('announces the account it opens as account.created, with the account as the API returns it', async () => {
      const account = await setup.api.openAccount();
      await eventually(() => expect(eventsFor(account.id)).toHaveLength(1));
      const [event] = eventsFor(account.id);
      expect(event).toMatchObject({ type: 'account.created', source: '/transactions', subject: account.id });
      expect(event.data).toEqual(account);
      expectCatalogueEvent(event);
      const message = probe.messages.find((m) => m.properties.messageId === event.id);
      expect(message?.fields.routingKey).toBe('account.created');
      expect(message?.properties.type).toBe('account.created');
    });
  });

  describe('POST /transactions', () => {
    it('records a completed deposit, moves the balance and announces both', async () => {
      const account = await setup.api.openAccount();
      const response = await setup.api.post('/transactions', {
        accountId: account.id,
        type: 'deposit',
        amount: '1050',
        currency: 'EUR',
        description: 'Top-up',
        metadata: { orderId: 'A-1' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        accountId: account.id,
        type: 'deposit',
        amount: '1050',
        currency: 'EUR',
        status: 'completed',
        description: 'Top-up',
        metadata: { orderId: 'A-1' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await setup.api.balance(account.id)).toBe('1050');
      expect((await setup.api.get(`/transactions/${response.body.id}`)).body).toEqual(response.body);

      await eventually(() => expect(balanceEventsFor(account.id)).toHaveLength(1));
      const created = eventsFor(response.body.id);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ type: 'transaction.created', source: '/transactions', data: response.body });
      expect(balanceEventsFor(account.id)[0]).toMatchObject({
        type: 'account.balance_updated',
        data: { accountId: account.id, balance: '1050', currency: 'EUR', version: 1, transactionId: response.body.id },
      });
    });

    it('keeps 18-digit amounts exact', async () => {
      const account = await setup.api.openAccount();
      await setup.api.record({ accountId: account.id, type: 'deposit', amount: '999999999999999999' });
      await setup.api.record({ accountId: account.id, type: 'withdrawal', amount: '1' });
      expect(await setup.api.balance(account.id)).toBe('999999999999999998');
    });

    it('records a pending transaction without touching the balance or announcing a balance change', async () => {
      const account = await setup.api.openAccount();
      const pending = await setup.api.record({
        accountId: account.id,
        type: 'withdrawal',
        amount: '500',
        status: 'pending',
      });
      expect(pending.status).toBe('pending');
      expect(await setup.api.balance(account.id)).toBe('0');
      await eventually(() => expect(eventsFor(pending.id)).toHaveLength(1));
      expect(balanceEventsFor(account.id)).toHaveLength(0);
    });

    it('refuses a debit beyond the balance with 422 insufficient-funds, writing and publishing nothing', async () => {
      const account = await setup.api.openAccount();
      await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
      for (const type of ['withdrawal', 'charge']) {
        const response = await setup.api.post('/transactions', {
          accountId: account.id,
          type,
          amount: '101',
          currency: 'EUR',
        });
        expect(response.status).toBe(422);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.type).toMatch(/insufficient-funds$/);
      }
      expect(await setup.api.balance(account.id)).toBe('100');
      const rows = await sql(
        setup.environment.databaseUrl,
        'SELECT 1 FROM transactions.transactions WHERE account_id = $1',
        [account.id],
      );
      expect(rows).toHaveLength(1);
      const marker = await setup.api.record({ accountId: account.id, type: 'deposit', amount: '1' });
      await eventually(() => expect(eventsFor(marker.id)).toHaveLength(1));
      expect(
        probe.bodies<Envelope>().filter((e) => e.data.accountId === account.id && e.data.amount === '101'),
      ).toEqual([]);
    });

    it('refuses a currency that is not the account currency with 422 currency-mismatch', async () => {
      const account = await setup.api.openAccount('EUR');
      const response = await setup.api.post('/transactions', {
        accountId: account.id,
        type: 'deposit',
        amount: '5',
        currency: 'USD',
      });
      expect(response.status).toBe(422);
      expect(response.body.type).toMatch(/currency-mismatch$/);
    });

    it('answers an unknown account with 404', async () => {
      const response = await setup.api.post('/transactions', {
        accountId: randomUUID(),
        type: 'deposit',
        amount: '5',
        currency: 'EUR',
      });
      expect(response.status).toBe(404);
      expect(response.body.type).toMatch(/not-found$/);
    });

    it.each([
      [{ amount: 1050 }, 'amount'],
      [{ amount: '0' }, 'amount'],
      [{ amount: '-5' }, 'amount'],
      [{ amount: '0105' }, 'amount'],
      [{ amount: '10.50' }, 'amount'],
      [{ amount: '1e3' }, 'amount'],
      [{ amount: '1234567890123456789' }, 'amount'],
      [{ type: 'gift' }, 'type'],
      [{ status: 'failed' }, 'status'],
      [{ currency: 'EURO' }, 'currency'],
      [{ accountId: 'nope' }, 'accountId'],
      [{ description: 'x'.repeat(501) }, 'description'],
      [{ metadata: { a: 1 } }, 'metadata'],
      [{ metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata'],
      [{ metadata: { note: 'x'.repeat(501) } }, 'metadata'],
      [{ fee: '1' }, 'fee'],
      // Lone surrogates: PostgreSQL's json refuses them (a 500 before), text would change silently.
      [{ metadata: { note: 'a\ud800' } }, 'metadata.note'],
      [{ metadata: { '\udc00': 'a' } }, 'metadata.\udc00'],
      [{ description: 'top-up \ud83d' }, 'description'],
    ])('refuses %j with 400 naming %s', async (change, field) => {
      const account = await setup.api.openAccount();
      const body = { accountId: account.id, type: 'deposit', amount: '5', currency: 'EUR', ...change };
      const response = await setup.api.post('/transactions', body);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await setup.api.balance(account.id)).toBe('0');
    });

    it('refuses a missing body field with 400', async () => {
      const response = await setup.api.post('/transactions', { type: 'deposit', amount: '5', currency: 'EUR' });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('accountId');
    });
  });

  describe('PATCH /transactions/:id', () => {
    it('completes a pending deposit: the balance moves and both events say so', async () => {
      const account = await setup.api.openAccount();
      const pending = await setup.api.record({
        accountId: account.id,
        type: 'deposit',
        amount: '700',
        status: 'pending',
      });
      const response = await setup.api.patch(`/transactions/${pending.id}`, { status: 'completed' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: pending.id, status: 'completed' });
      expect(await setup.api.balance(account.id)).toBe('700');
      await eventually(() => expect(eventsFor(pending.id)).toHaveLength(2));
      expect(eventsFor(pending.id)[1]).toMatchObject({
        type: 'transaction.updated',
        data: { status: 'completed', previousStatus: 'pending' },
      });
      await eventually(() => expect(balanceEventsFor(account.id)).toHaveLength(1));
      expect(balanceEventsFor(account.id)[0].data).toMatchObject({
        balance: '700',
        version: 1,
        transactionId: pending.id,
      });
    });

    it('fails a pending transaction without moving the balance', async () => {
      const account = await setup.api.openAccount();
      const pending = await setup.api.record({
        accountId: account.id,
        type: 'withdrawal',
        amount: '700',
        status: 'pending',
      });
      const response = await setup.api.patch(`/transactions/${pending.id}`, { status: 'failed' });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('failed');
      await eventually(() => expect(eventsFor(pending.id)).toHaveLength(2));
      expect(balanceEventsFor(account.id)).toHaveLength(0);
    });

    it('reverses a completed charge, giving the money back, with the balance version rising by one per change', async () => {
      const account = await setup.api.openAccount();
      await setup.api.record({ accountId: account.id, type: 'deposit', amount: '1000' });
      const charge = await setup.api.record({ accountId: account.id, type: 'charge', amount: '400' });
      expect(await setup.api.balance(account.id)).toBe('600');
      const response = await setup.api.patch(`/transactions/${charge.id}`, { status: 'reversed' });
      expect(response.status).toBe(200);
      expect(await setup.api.balance(account.id)).toBe('1000');
      await eventually(() => expect(balanceEventsFor(account.id)).toHaveLength(3));
      expect(balanceEventsFor(account.id).map((e) => [e.data.version, e.data.balance])).toEqual([
        [1, '1000'],
        [2, '600'],
        [3, '1000'],
      ]);
    });

    it('refuses to complete a pending debit the balance does not cover (422) and leaves it pending', async () => {
      const account = await setup.api.openAccount();
      const pending = await setup.api.record({
        accountId: account.id,
        type: 'withdrawal',
        amount: '50',
        status: 'pending',
      });
      const response = await setup.api.patch(`/transactions/${pending.id}`, { status: 'completed' });
      expect(response.status).toBe(422);
      expect(response.body.type).toMatch(/insufficient-funds$/);
      expect((await setup.api.get(`/transactions/${pending.id}`)).body.status).toBe('pending');
    });

    it('refuses to reverse a credit whose money was spent (422)', async () => {
      const account = await setup.api.openAccount();
      const deposit = await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
      await setup.api.record({ accountId: account.id, type: 'withdrawal', amount: '60' });
      const response = await setup.api.patch(`/transactions/${deposit.id}`, { status: 'reversed' });
      expect(response.status).toBe(422);
      expect(response.body.type).toMatch(/insufficient-funds$/);
      expect(await setup.api.balance(account.id)).toBe('40');
    });

    it.each([
      ['pending', 'reversed'],
      ['pending', 'pending'],
      ['completed', 'failed'],
      ['completed', 'completed'],
      ['completed', 'pending'],
      ['failed', 'completed'],
      ['reversed', 'completed'],
    ])('refuses %s -> %s with 409', async (from, to) => {
      const account = await setup.api.openAccount();
      await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
      const initial = from === 'pending' ? 'pending' : 'completed';
      const transaction = await setup.api.record({
        accountId: account.id,
        type: 'deposit',
        amount: '5',
        status: initial,
      });
      if (from === 'failed') await setup.api.patch(`/transactions/${transaction.id}`, { status: 'failed' });
      if (from === 'reversed') await setup.api.patch(`/transactions/${transaction.id}`, { status: 'reversed' });
      const response = await setup.api.patch(`/transactions/${transaction.id}`, { status: to });
      expect(response.status).toBe(409);
      expect(response.body.type).toMatch(/invalid-transition$/);
    });

    it('answers bad bodies with 400 and unknown ids with 404', async () => {
      const account = await setup.api.openAccount();
      const transaction = await setup.api.record({ accountId: account.id, type: 'deposit', amount: '5' });
      for (const body of [{}, { status: 'done' }, { status: 'failed', amount: '3' }]) {
        expect((await setup.api.patch(`/transactions/${transaction.id}`, body)).status).toBe(400);
      }
      expect((await setup.api.patch(`/transactions/${randomUUID()}`, { status: 'failed' })).status).toBe(404);
      expect((await setup.api.get(`/transactions/${randomUUID()}`)).status).toBe(404);
      expect((await setup.api.get('/transactions/not-a-uuid')).status).toBe(404);
    });
  });

  describe('GET /transactions', () => {
    it('filters by account, status and type and pages with a cursor, newest first', async () => {
      const account = await setup.api.openAccount();
      const other = await setup.api.openAccount();
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push((await setup.api.record({ accountId: account.id, type: 'deposit', amount: `${i + 1}` })).id);
      await setup.api.record({ accountId: account.id, type: 'withdrawal', amount: '1', status: 'pending' });
      await setup.api.record({ accountId: other.id, type: 'deposit', amount: '9' });

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = {
          accountId: account.id,
          type: 'deposit',
          status: 'completed',
          limit: 2,
        };
        if (cursor) query.cursor = cursor;
        const response = await setup.api.get('/transactions', query);
        expect(response.status).toBe(200);
        seen.push(...response.body.data.map((t: { id: string }) => t.id));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
      const pending = await setup.api.get('/transactions', { accountId: account.id, status: 'pending' });
      expect(pending.body.data).toHaveLength(1);
    });

    it.each<Record<string, string | number>>([
      { status: 'done' },
      { type: 'gift' },
      { accountId: 'x' },
      { limit: 500 },
    ])('refuses %j with 400', async (query) => {
      expect((await setup.api.get('/transactions', query)).status).toBe(400);
    });
  });
});

describe('trace propagation', () => {
  it('carries the caller trace into the events a request publishes (traceparent header and extension)', async () => {
    const environment = await createTestEnvironment();
    const app = await startTestApp(appDefinition, environment);
    const probe = await AmqpProbe.connect(environment.rabbitmqUrl);
    try {
      await probe.listen(EXCHANGES.transactions, 'transaction.created');
      const api = new ApiClient(app.url);
      const account = await api.openAccount();
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const response = await api.post(
        '/transactions',
        { accountId: account.id, type: 'deposit', amount: '5', currency: 'EUR' },
        { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      );
      expect(response.status).toBe(201);
      await eventually(() => expect(probe.messages).toHaveLength(1));
      const header = String(probe.messages[0].properties.headers?.traceparent);
      expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(probe.bodies()[0].traceparent).toBe(header);
      await api.record({ accountId: account.id, type: 'deposit', amount: '5' });
      await eventually(() => expect(probe.messages).toHaveLength(2));
      expect(probe.messages[1].properties.headers?.traceparent).toBeUndefined();
    } finally {
      await probe.close();
      await app.close();
      await environment.teardown();
    }
  });
});
