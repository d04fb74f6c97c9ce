import { buildEnvelope, EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { catalogueEvent, eventually, sql, useDeliveryHarness } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';
import { FAN_OUT_QUEUE } from '../src/fan-out/event-fan-out.consumer';

/**
 * Messages straight onto the producers' exchanges that break the contract (CONTRACT.md section
 * 9): each must land in notifications.deliveries.dlq with its reason, and never be archived,
 * fanned out or delivered.
 */
describe('notifications: forged events', () => {
  const setup = useDeliveryHarness(appDefinition, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  it('dead-letters each one with its reason; none is archived or delivered, and a valid event after them is', async () => {
    const endpoint = (await setup.api.post('/webhooks', { url: setup.receiver.url })).body as { id: string };
    const transaction = (data: Record<string, unknown>) => JSON.stringify(catalogueEvent('transaction.created', data));
    const forged = {
      // Valid in every field, but over MAX_EVENT_BYTES (256 KiB by default): refused unread.
      tooLarge: [
        EXCHANGES.transactions,
        'transaction.created',
        transaction({ padding: 'x'.repeat(300_000) }),
        'too-large',
      ],
      notJson: [EXCHANGES.transactions, 'transaction.created', '{"specversion":', 'invalid-envelope'],
      notAnEnvelope: [
        EXCHANGES.adEngine,
        'campaign.paused',
        JSON.stringify({ type: 'campaign.paused' }),
        'invalid-envelope',
      ],
      idNotAUuid: [
        EXCHANGES.transactions,
        'transaction.created',
        JSON.stringify({ ...catalogueEvent('transaction.created'), id: 'evt_1' }),
        'invalid-envelope',
      ],
      hugeAmount: [EXCHANGES.transactions, 'transaction.created', transaction({ amount: '1e400' }), 'schema-violation'],
      negativeAmount: [
        EXCHANGES.transactions,
        'transaction.created',
        transaction({ amount: '-50' }),
        'schema-violation',
      ],
      accountNotAUuid: [
        EXCHANGES.transactions,
        'transaction.created',
        transaction({ accountId: 'not-a-uuid' }),
        'schema-violation',
      ],
      // Never on RabbitMQ: it only goes to the endpoint it was requested for.
      webhookTest: [
        EXCHANGES.notifications,
        'webhook.test',
        JSON.stringify(catalogueEvent('webhook.test', { webhookId: endpoint.id })),
        'schema-violation',
      ],
      unknownType: [
        EXCHANGES.transactions,
        'transaction.settled',
        JSON.stringify(
          buildEnvelope({
            source: EVENT_SOURCES.transactions,
            type: 'transaction.settled',
            subject: randomUUID(),
            data: {},
          }),
        ),
        'schema-violation',
      ],
    } as const;
    for (const [name, [exchange, routingKey, body]] of Object.entries(forged)) {
      setup.amqp.publishRaw(exchange, routingKey, body, name);
    }
    const valid = catalogueEvent('transaction.created');
    setup.amqp.publishEvent(EXCHANGES.transactions, valid);

    const reasons = await setup.amqp.deadLetterReasons(`${FAN_OUT_QUEUE}.dlq`, Object.keys(forged).length);
    expect(reasons).toEqual(Object.fromEntries(Object.entries(forged).map(([name, [, , , reason]]) => [name, reason])));
    await eventually(() => expect(setup.receiver.received.map((r) => r.headers['webhook-id'])).toEqual([valid.id]));
    const logged = (await setup.api.get(`/webhooks/${endpoint.id}/deliveries`)).body.data as { eventId: string }[];
    expect(logged.map((delivery) => delivery.eventId)).toEqual([valid.id]);
    const archived = await sql<{ event_id: string }>(
      setup.environment.databaseUrl,
      'SELECT event_id::text AS event_id FROM notifications.event_archive',
    );
    expect(archived.map((row) => row.event_id)).toEqual([valid.id]);
  });
});
