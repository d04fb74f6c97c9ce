import { freePort, WebhookReceiver } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { NotificationsConfig } from '../src/config';
import { ProducerRecords } from '../src/trace/producer-records';

/**
 * How a trace asks the producers, against real HTTP servers standing in for them: what counts as
 * "never saw it", and what only as "could not be asked".
 */
describe('ProducerRecords', () => {
  let transactions: WebhookReceiver;
  let closedPort: number;

  beforeAll(async () => {
    transactions = await WebhookReceiver.start();
    closedPort = await freePort();
  });

  afterAll(() => transactions.close());

  const records = (overrides: Partial<NotificationsConfig> = {}) =>
    new ProducerRecords({
      TRANSACTIONS_URL: transactions.origin,
      // Nothing listens there: refused at once.
      AD_ENGINE_URL: `http://127.0.0.1:${closedPort}`,
      API_KEYS: ['first-key'],
      ...overrides,
    } as NotificationsConfig);
  const problem = (type: string) => ({
    status: 404,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type, title: 'Not found', status: 404 }),
  });

  it("reads the producer's record with the shared API key, and names a producer that refuses the connection", async () => {
    const id = randomUUID();
    const record = {
      id,
      outbox: null,
      inbox: [{ consumer: 'transactions.q', appliedAt: '2026-01-02T03:04:05.000001Z' }],
    };
    transactions.behaviour = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record),
    };

    expect(await records().ask(id)).toEqual([
      { app: 'transactions', record },
      { app: 'ad-engine', unreachable: true },
    ]);
    const request = transactions.received.at(-1)!;
    expect(request.path).toBe(`/events/${id}/record`);
    expect(request.headers.authorization).toBe('Bearer first-key');
  });

  it('sends TRANSACTIONS_API_KEY when it is set', async () => {
    transactions.behaviour = problem('/problems/not-found');
    await records({ TRANSACTIONS_API_KEY: 'own-key' }).ask(randomUUID());
    expect(transactions.received.at(-1)!.headers.authorization).toBe('Bearer own-key');
  });

  it("takes the record's own 404 as never seen, but a missing route or a refused key as not asked", async () => {
    transactions.behaviour = problem('/problems/not-found');
    expect((await records().ask(randomUUID()))[0]).toEqual({ app: 'transactions', record: undefined });

    transactions.behaviour = problem('/problems/route-not-found');
    expect((await records().ask(randomUUID()))[0]).toEqual({ app: 'transactions', unreachable: true });

    transactions.behaviour = { status: 401, body: JSON.stringify({ type: '/problems/unauthorized' }) };
    expect((await records().ask(randomUUID()))[0]).toEqual({ app: 'transactions', unreachable: true });

    transactions.behaviour = { status: 200, body: 'not json' };
    expect((await records().ask(randomUUID()))[0]).toEqual({ app: 'transactions', unreachable: true });
  });

  it('gives up on a producer that does not answer within 2 s', async () => {
    transactions.behaviour = { status: 200, hang: true };
    const started = performance.now();
    expect((await records().ask(randomUUID()))[0]).toEqual({ app: 'transactions', unreachable: true });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(4_000);
  });
});
