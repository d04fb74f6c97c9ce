import { EXCHANGES } from '@app/contracts';
import { AmqpProbe, catalogueEvent, eventually, useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';
import { FUNDS_QUEUE } from '../src/balance-events/funds-queue';

const ROUTING_KEY = 'account.balance_updated';

/**
 * Messages straight onto transactions.events that break the contract (CONTRACT.md section 9):
 * each must land in ad-engine.funds.dlq with its reason and never touch the projection.
 */
describe('ad-engine: forged balance events', () => {
  const setup = useTestApp(appDefinition);
  let amqp: AmqpProbe;
  const accountId = randomUUID();
  const balanceEvent = (data: Record<string, unknown>) =>
    catalogueEvent('account.balance_updated', { accountId, currency: 'EUR', ...data });
  const funds = async () => (await setup.api.get(`/funds/${accountId}`)).body as { balance: string; version: number };

  beforeAll(async () => {
    amqp = await AmqpProbe.connect(setup.environment.rabbitmqUrl);
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent({ balance: '100', version: 1 }));
    await eventually(async () => expect(await funds()).toMatchObject({ balance: '100', version: 1 }));
  });

  afterAll(async () => {
    await amqp?.close();
  });

  it('dead-letters each one with its reason, applies none of them, and still applies a valid event after them', async () => {
    const forged = {
      // Valid in every field, but over MAX_EVENT_BYTES (256 KiB by default): refused unread.
      tooLarge: [
        JSON.stringify(balanceEvent({ balance: '999', version: 50, padding: 'x'.repeat(300_000) })),
        'too-large',
      ],
      notJson: ['not json at all', 'invalid-envelope'],
      notAnEnvelope: [JSON.stringify({ accountId, balance: '999', version: 51 }), 'invalid-envelope'],
      hugeBalance: [JSON.stringify(balanceEvent({ balance: '1e400', version: 52 })), 'schema-violation'],
      negativeBalance: [JSON.stringify(balanceEvent({ balance: '-50', version: 53 })), 'schema-violation'],
      notAUuid: [
        JSON.stringify(balanceEvent({ accountId: 'not-a-uuid', balance: '999', version: 54 })),
        'schema-violation',
      ],
      versionAsText: [JSON.stringify(balanceEvent({ balance: '999', version: '100000' })), 'schema-violation'],
    } as const;
    for (const [name, [body]] of Object.entries(forged)) {
      amqp.publishRaw(EXCHANGES.transactions, ROUTING_KEY, body, name);
    }
    amqp.publishEvent(EXCHANGES.transactions, balanceEvent({ balance: '200', version: 2 }));

    const reasons = await amqp.deadLetterReasons(`${FUNDS_QUEUE}.dlq`, Object.keys(forged).length);
    expect(reasons).toEqual(Object.fromEntries(Object.entries(forged).map(([name, [, reason]]) => [name, reason])));
    await eventually(async () => expect(await funds()).toMatchObject({ balance: '200', version: 2 }));
    expect((await setup.api.get('/funds/not-a-uuid')).status).not.toBe(200);
  });
});
