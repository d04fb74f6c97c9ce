import { buildEnvelope, EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { AmqpProbe, eventually, sql, StatementRecorder, useTestApp } from '@app/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

interface CampaignEvent {
  id: string;
  type: string;
  subject: string;
  data: { id: string; accountId: string; reason: string };
}

const balanceEvent = (accountId: string, version: number, balance: string) =>
  buildEnvelope({
    source: EVENT_SOURCES.transactions,
    type: 'account.balance_updated',
    subject: accountId,
    data: { accountId, balance, currency: 'EUR', version, transactionId: randomUUID() },
  });

describe('ad-engine: funds and campaigns from balance events', () => {
  let amqp: AmqpProbe;

  const campaignEvents = (campaignId: string) =>
    amqp.bodies<CampaignEvent>().filter((event) => event.subject === campaignId);
  const funds = async (accountId: string) =>
    (await setup.api.get(`/funds/${accountId}`)).body as { balance: string; version: number };
  const createCampaign = async (accountId: string, minBalance: string) => {
    const response = await setup.api.post('/campaigns', { accountId, name: 'Winter sale', minBalance });
    expect(response.status).toBe(201);
    return response.body as { id: string; status: string };
  };

  const setup = useTestApp(appDefinition, { CONSUMER_RETRY_DELAYS: '100ms' });

  beforeAll(async () => {
    amqp = await AmqpProbe.connect(setup.environment.rabbitmqUrl);
    await amqp.listen(EXCHANGES.adEngine, 'campaign.*');
  });

  afterAll(async () => {
    await amqp?.close();
  });

  it('never leaves a campaign paused that was created while its account got its first funds', async () => {
    // Each round races an account's first balance event against the creation of its campaign:
    // whichever commits second must see the other.
    const rounds = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const accountId = randomUUID();
        amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, 1, '100'));
        const campaign = await createCampaign(accountId, '50');
        return { accountId, campaignId: campaign.id };
      }),
    );
    for (const { accountId, campaignId } of rounds) {
      await eventually(async () => expect((await funds(accountId))?.balance).toBe('100'));
      await eventually(async () =>
        expect((await setup.api.get(`/campaigns/${campaignId}`)).body.status).toBe('active'),
      );
    }
  });

  it('learns funds from events in order and flips the campaign once per threshold crossing', async () => {
    const accountId = randomUUID();
    const campaign = await createCampaign(accountId, '1000');
    expect(campaign.status).toBe('paused');
    await eventually(() => expect(campaignEvents(campaign.id).map((e) => e.type)).toEqual(['campaign.paused']));

    for (const [version, balance] of [
      [1, '500'],
      [2, '1500'],
      [3, '1200'],
      [4, '200'],
    ] as const) {
      amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, version, balance));
      await eventually(async () => expect((await funds(accountId))?.version).toBe(version));
    }
    expect(await funds(accountId)).toMatchObject({ balance: '200', version: 4, currency: 'EUR' });
    await eventually(() =>
      expect(campaignEvents(campaign.id).map((e) => e.type)).toEqual([
        'campaign.paused',
        'campaign.activated',
        'campaign.paused',
      ]),
    );
    expect(campaignEvents(campaign.id)[1].data).toMatchObject({
      id: campaign.id,
      accountId,
      reason: 'balance 1500 >= minBalance 1000',
    });
    expect((await setup.api.get(`/campaigns/${campaign.id}`)).body.status).toBe('paused');
  });

  it('never lets an older version overwrite a newer one', async () => {
    const accountId = randomUUID();
    const campaign = await createCampaign(accountId, '1000');
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, 3, '5000'));
    await eventually(async () => expect((await funds(accountId))?.version).toBe(3));
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, 1, '10'));
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, 2, '20'));
    const marker = randomUUID();
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent(marker, 1, '1'));
    await eventually(async () => expect((await setup.api.get(`/funds/${marker}`)).status).toBe(200));
    expect(await funds(accountId)).toMatchObject({ balance: '5000', version: 3 });
    expect(campaignEvents(campaign.id).map((e) => e.type)).toEqual(['campaign.paused', 'campaign.activated']);
  });

  it('applies an event delivered twice only once', async () => {
    const accountId = randomUUID();
    const campaign = await createCampaign(accountId, '100');
    const event = balanceEvent(accountId, 1, '150');
    amqp.publishEvent(EXCHANGES.transactions, event);
    amqp.publishEvent(EXCHANGES.transactions, event);
    await eventually(() => expect(campaignEvents(campaign.id)).toHaveLength(2));
    const marker = randomUUID();
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent(marker, 1, '1'));
    await eventually(async () => expect((await setup.api.get(`/funds/${marker}`)).status).toBe(200));
    expect(campaignEvents(campaign.id).map((e) => e.type)).toEqual(['campaign.paused', 'campaign.activated']);
  });

  it('applies a burst of balance events in a few statements per batch, not a few per event', async () => {
    const accounts = Array.from({ length: 40 }, () => randomUUID());
    const campaign = await createCampaign(accounts[0], '100');
    const recorder = StatementRecorder.start();
    try {
      for (const accountId of accounts) amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, 1, '500'));
      await eventually(async () => {
        const learned = await sql(
          setup.environment.databaseUrl,
          'SELECT 1 FROM ad_engine.funds WHERE account_id = ANY($1)',
          [accounts],
        );
        expect(learned).toHaveLength(accounts.length);
      });
      await eventually(() =>
        expect(campaignEvents(campaign.id).map((e) => e.type)).toEqual(['campaign.paused', 'campaign.activated']),
      );
      // The inbox, the funds upserts and the campaigns they decide: one statement per batch.
      const batchWork = recorder.matching(/INSERT INTO ad_engine\.funds|"ad_engine"\.inbox|FOR UPDATE/);
      expect(batchWork.length).toBeLessThanOrEqual(accounts.length / 2);
    } finally {
      recorder.stop();
    }
  });

  it('parks a poison message in ad-engine.funds.dlq and keeps going', async () => {
    const accountId = randomUUID();
    const poison = { ...balanceEvent(accountId, 1, '10'), data: { accountId, balance: 10.5, version: 'one' } };
    amqp.publishEvent(EXCHANGES.transactions, poison);
    amqp.channel.publish(EXCHANGES.transactions, 'account.balance_updated', Buffer.from('not json at all'));
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent(accountId, 1, '10'));
    await eventually(async () => expect((await funds(accountId))?.balance).toBe('10'));
    const parked = await eventually(async () => {
      const messages = await amqp.drain('ad-engine.funds.dlq');
      expect(messages).toHaveLength(2);
      return messages;
    });
    const reasons = parked.map((m) => String(m.properties.headers?.['x-dead-letter-reason']));
    expect(reasons.sort()).toEqual(['invalid-envelope', 'schema-violation']);
  });

  it("continues each balance event's own trace into the campaign event it causes, even when applied in one batch", async () => {
    const accounts = [randomUUID(), randomUUID(), randomUUID()];
    const campaigns = [];
    for (const accountId of accounts) campaigns.push(await createCampaign(accountId, '100'));
    const traceIds = accounts.map(() => randomBytes(16).toString('hex'));
    accounts.forEach((accountId, index) => {
      const traceparent = `00-${traceIds[index]}-${randomBytes(8).toString('hex')}-01`;
      // In the AMQP header only, as any W3C publisher sends it; the envelope carries none.
      const event = balanceEvent(accountId, 1, '500');
      amqp.channel.publish(EXCHANGES.transactions, event.type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        contentType: 'application/cloudevents+json',
        messageId: event.id,
        headers: { traceparent },
      });
    });

    for (const [index, campaign] of campaigns.entries()) {
      const activated = await eventually(() => {
        const found = amqp
          .bodies<CampaignEvent & { traceparent?: string }>()
          .find((event) => event.subject === campaign.id && event.type === 'campaign.activated');
        expect(found).toBeDefined();
        return found as CampaignEvent & { traceparent?: string };
      });
      expect(activated.traceparent?.split('-')[1]).toBe(traceIds[index]);
      const [message] = amqp.messages.filter((m) => JSON.parse(m.content.toString()).id === activated.id);
      expect(String(message.properties.headers?.traceparent).split('-')[1]).toBe(traceIds[index]);
    }
  });
});
