import { buildEnvelope, EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { AmqpProbe, eventually, expectCatalogueEvent, useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

describe('campaigns API', () => {
  let amqp: AmqpProbe;

  const typesFor = (id: string) =>
    amqp
      .bodies<{ subject: string; type: string }>()
      .filter((e) => e.subject === id)
      .map((e) => e.type);

  const fund = async (accountId: string, balance: string, version = 1) => {
    amqp.publishEvent(
      EXCHANGES.transactions,
      buildEnvelope({
        source: EVENT_SOURCES.transactions,
        type: 'account.balance_updated',
        subject: accountId,
        data: { accountId, balance, currency: 'EUR', version, transactionId: randomUUID() },
      }),
    );
    await eventually(async () => expect((await setup.api.get(`/funds/${accountId}`)).body.version).toBe(version));
  };

  const setup = useTestApp(appDefinition);

  beforeAll(async () => {
    amqp = await AmqpProbe.connect(setup.environment.rabbitmqUrl);
    await amqp.listen(EXCHANGES.adEngine, '#');
  });

  afterAll(async () => {
    await amqp?.close();
  });

  it('creates a campaign active at once when the known balance reaches its minimum', async () => {
    const accountId = randomUUID();
    await fund(accountId, '2000');
    const response = await setup.api.post('/campaigns', { accountId, name: 'Launch', minBalance: '1500' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      accountId,
      name: 'Launch',
      minBalance: '1500',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await eventually(() => expect(typesFor(response.body.id)).toEqual(['campaign.activated']));
    expect((await setup.api.get(`/campaigns/${response.body.id}`)).body).toEqual(response.body);
  });

  it('re-evaluates on edit and announces a flip once; a rename alone announces nothing', async () => {
    const accountId = randomUUID();
    await fund(accountId, '1000');
    const campaign = (await setup.api.post('/campaigns', { accountId, name: 'A', minBalance: '500' })).body;
    const renamed = await setup.api.patch(`/campaigns/${campaign.id}`, { name: 'B' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'B', status: 'active' });
    const raised = await setup.api.patch(`/campaigns/${campaign.id}`, { minBalance: '5000' });
    expect(raised.body).toMatchObject({ minBalance: '5000', status: 'paused' });
    await eventually(() => expect(typesFor(campaign.id)).toEqual(['campaign.activated', 'campaign.paused']));
    // What the engine published passes the very check every consumer makes.
    for (const published of amqp.bodies()) expectCatalogueEvent(published);
  });

  it('lists with filters and pages, and deletes', async () => {
    const accountId = randomUUID();
    await fund(accountId, '100');
    const ids: string[] = [];
    for (const minBalance of ['50', '60', '500']) {
      ids.push((await setup.api.post('/campaigns', { accountId, name: `C${minBalance}`, minBalance })).body.id);
    }
    const active = await setup.api.get('/campaigns', { accountId, status: 'active' });
    expect(active.body.data.map((c: { id: string }) => c.id).sort()).toEqual(ids.slice(0, 2).sort());
    const firstPage = await setup.api.get('/campaigns', { accountId, limit: 2 });
    expect(firstPage.body.data).toHaveLength(2);
    const secondPage = await setup.api.get('/campaigns', { accountId, limit: 2, cursor: firstPage.body.nextCursor });
    expect(secondPage.body).toMatchObject({ nextCursor: null });
    expect(secondPage.body.data).toHaveLength(1);

    const deleted = await setup.api.get('/campaigns', { accountId });
    expect(deleted.body.data).toHaveLength(3);
    const response = await setup.api.delete(`/campaigns/${ids[0]}`);
    expect(response.status).toBe(204);
    expect((await setup.api.get(`/campaigns/${ids[0]}`)).status).toBe(404);
    expect((await setup.api.delete(`/campaigns/${ids[0]}`)).status).toBe(404);
  });

  it.each([
    [{ name: 'x', minBalance: '10' }, 'accountId'],
    [{ accountId: 'nope', name: 'x', minBalance: '10' }, 'accountId'],
    [{ accountId: randomUUID(), minBalance: '10' }, 'name'],
    [{ accountId: randomUUID(), name: 'x', minBalance: 10 }, 'minBalance'],
    [{ accountId: randomUUID(), name: 'x', minBalance: '0' }, 'minBalance'],
    [{ accountId: randomUUID(), name: 'x', minBalance: '10', status: 'active' }, 'status'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const response = await setup.api.post('/campaigns', body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers unknown campaigns and accounts with 404 and bad edits with 400', async () => {
    expect((await setup.api.get(`/campaigns/${randomUUID()}`)).status).toBe(404);
    expect((await setup.api.patch(`/campaigns/${randomUUID()}`, { name: 'x' })).status).toBe(404);
    expect((await setup.api.get(`/funds/${randomUUID()}`)).status).toBe(404);
    expect((await setup.api.get('/funds/not-a-uuid')).status).toBe(404);
    const campaign = (await setup.api.post('/campaigns', { accountId: randomUUID(), name: 'x', minBalance: '1' })).body;
    expect((await setup.api.patch(`/campaigns/${campaign.id}`, { minBalance: '-1' })).status).toBe(400);
    expect((await setup.api.patch(`/campaigns/${campaign.id}`, { accountId: randomUUID() })).status).toBe(400);
    // null is not a name or a minimum: a 400, never the database's NOT NULL as a 500.
    expect((await setup.api.patch(`/campaigns/${campaign.id}`, { name: null })).status).toBe(400);
    expect((await setup.api.patch(`/campaigns/${campaign.id}`, { minBalance: null })).status).toBe(400);
    expect((await setup.api.get('/campaigns', { status: 'running' })).status).toBe(400);
  });
});
