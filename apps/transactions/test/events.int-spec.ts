import { eventually, expectCatalogueEvent, useTestApp } from '@app/testing';
import { CloudEvent } from 'cloudevents';
import { appDefinition } from '../src/app.definition';

interface ArchivedEvent {
  id: string;
  type: string;
  time: string;
  sequence: string;
  subject: string;
}

describe('GET /events', () => {
  const setup = useTestApp(appDefinition);

  beforeAll(async () => {
    const account = await setup.api.openAccount();
    await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
    const pending = await setup.api.record({ accountId: account.id, type: 'charge', amount: '40', status: 'pending' });
    await setup.api.patch(`/transactions/${pending.id}`, { status: 'completed' });
    // 1 + 2 + 1 + 2 events.
    await eventually(async () => expect((await setup.api.get('/events', { limit: 100 })).body.data).toHaveLength(6));
  });

  it('lists every published event oldest first, as CloudEvents with a rising sequence', async () => {
    const response = await setup.api.get('/events', { limit: 100 });
    expect(response.status).toBe(200);
    const events = response.body.data as ArchivedEvent[];
    expect(events.map((e) => e.type)).toEqual([
      'account.created',
      'transaction.created',
      'account.balance_updated',
      'transaction.created',
      'transaction.updated',
      'account.balance_updated',
    ]);
    const sequences = events.map((e) => BigInt(e.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
    for (const event of events) {
      expect(new CloudEvent(event as never, true).validate()).toBe(true);
      // The very check every consumer makes before it applies an event.
      expectCatalogueEvent(event);
    }
    expect(response.body.nextCursor).toBeNull();
  });

  it('filters by type', async () => {
    const response = await setup.api.get('/events', { type: 'account.balance_updated' });
    expect(response.body.data.map((e: ArchivedEvent) => e.type)).toEqual([
      'account.balance_updated',
      'account.balance_updated',
    ]);
  });

  it('filters by time, exclusively', async () => {
    const all = (await setup.api.get('/events', { limit: 100 })).body.data as ArchivedEvent[];
    const response = await setup.api.get('/events', { after: all[2].time, limit: 100 });
    const ids = (response.body.data as ArchivedEvent[]).map((e) => e.id);
    expect(ids).not.toContain(all[0].id);
    expect(ids).toEqual(all.filter((e) => e.time > all[2].time).map((e) => e.id));
  });

  it('pages with a cursor without skipping or repeating', async () => {
    const all = ((await setup.api.get('/events', { limit: 100 })).body.data as ArchivedEvent[]).map((e) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 2 };
      if (cursor) query.cursor = cursor;
      const response = await setup.api.get('/events', query);
      paged.push(...(response.body.data as ArchivedEvent[]).map((e) => e.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it.each<Record<string, string | number>>([
    { after: 'yesterday' },
    { after: '2026-01-01' },
    { limit: 0 },
    { cursor: 'nope' },
  ])('refuses %j with 400', async (query) => {
    const response = await setup.api.get('/events', query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('keeps publish order past ten events (sequence compared as a number) and pages through all of them', async () => {
    const account = await setup.api.openAccount();
    for (let i = 0; i < 8; i++) await setup.api.record({ accountId: account.id, type: 'deposit', amount: '1' });
    await eventually(async () => expect((await setup.api.get('/events', { limit: 100 })).body.data).toHaveLength(23));
    const all = (await setup.api.get('/events', { limit: 100 })).body.data as ArchivedEvent[];
    const sequences = all.map((e) => Number(e.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 4 };
      if (cursor) query.cursor = cursor;
      const response = await setup.api.get('/events', query);
      paged.push(...(response.body.data as ArchivedEvent[]).map((e) => e.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((e) => e.id));
  });
});
