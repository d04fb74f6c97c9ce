import { randomUUID } from 'node:crypto';
import { buildEnvelope, EventEnvelope, EVENT_SOURCES } from '../event-envelope';
import { EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';
import { brokerEventValidator } from './event-validator';

const validator = brokerEventValidator();

const catalogueEvent = (type: (typeof EVENT_TYPES)[number], data: Record<string, unknown> = {}): EventEnvelope => {
  const definition = EVENT_CATALOGUE[type];
  return buildEnvelope({
    source: definition.source,
    type,
    subject: randomUUID(),
    data: { ...definition.example, ...data },
  });
};

describe('brokerEventValidator', () => {
  it.each(EVENT_TYPES.filter((type) => EVENT_CATALOGUE[type].onBroker))('accepts the example of %s', (type) => {
    expect(validator.check(catalogueEvent(type))).toBeUndefined();
  });

  it.each([
    ['transaction.created', { amount: '1e400' }, 'amount must match pattern'],
    ['transaction.created', { amount: '-50' }, 'amount must match pattern'],
    ['transaction.created', { amount: '0' }, 'amount must match pattern'],
    ['transaction.created', { amount: 1050 }, 'amount must be string'],
    ['transaction.updated', { accountId: 'not-a-uuid' }, 'accountId must match pattern'],
    ['transaction.created', { metadata: { '': 'empty key' } }, 'metadata'],
    ['account.balance_updated', { accountId: 'not-a-uuid' }, 'accountId must match pattern'],
    ['account.balance_updated', { accountId: `urn:uuid:${randomUUID()}` }, 'accountId must match pattern'],
    ['account.balance_updated', { version: 0 }, 'version must be >= 1'],
    ['account.balance_updated', { version: 1.5 }, 'version must be integer'],
    ['account.balance_updated', { version: '100000' }, 'version must be integer'],
    ['account.balance_updated', { balance: '-1' }, 'balance must match pattern'],
    ['account.balance_updated', { currency: 'eur' }, 'currency must match pattern'],
    ['campaign.paused', { name: 'x'.repeat(201) }, 'name must NOT have more than 200 characters'],
    ['webhook.disabled', { reason: 'bored' }, 'reason must be equal to one of the allowed values'],
  ] as const)('refuses %s with %j as a schema-violation', (type, data, detail) => {
    expect(validator.check(catalogueEvent(type, data))).toEqual({
      reason: 'schema-violation',
      detail: expect.stringContaining(`data.${detail}`) as string,
    });
  });

  it('refuses data that lacks a field as a schema-violation', () => {
    const event = catalogueEvent('account.balance_updated');
    delete (event.data as Record<string, unknown>).version;
    expect(validator.check(event)).toEqual({
      reason: 'schema-violation',
      detail: "data must have required property 'version'",
    });
  });

  it('refuses an event type without a schema, webhook.test included (it never travels on RabbitMQ)', () => {
    expect(validator.check(catalogueEvent('webhook.test'))?.reason).toBe('schema-violation');
    const unknown = buildEnvelope({
      source: EVENT_SOURCES.transactions,
      type: 'transaction.settled',
      subject: 'x',
      data: {},
    });
    expect(validator.check(unknown)).toEqual({
      reason: 'schema-violation',
      detail: 'no schema for event type "transaction.settled"',
    });
  });

  it.each([
    ['an id that is not a UUID', { id: 'evt_1' }, 'id must match'],
    ['the source of another producer', { source: EVENT_SOURCES.adEngine }, 'source must be equal to constant'],
    ['no subject', { subject: undefined }, "the envelope must have required property 'subject'"],
    ['a time that is not RFC 3339', { time: 'yesterday' }, 'time must match format "date-time"'],
  ])('refuses %s as an invalid-envelope', (_, change, detail) => {
    const event = { ...catalogueEvent('transaction.created'), ...change } as EventEnvelope;
    if ('subject' in change) delete event.subject;
    expect(validator.check(event)).toEqual({
      reason: 'invalid-envelope',
      detail: expect.stringContaining(detail) as string,
    });
  });
});
