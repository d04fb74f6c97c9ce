import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildEnvelope } from '../event-envelope';
import { EXCHANGES } from '../exchanges';
import { buildAsyncApiDocument } from './asyncapi';
import { EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';
import { envelopeSchema } from './envelope-schema';

const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));

describe('event catalogue', () => {
  it('names every type entity.past_tense, as routing keys', () => {
    for (const type of EVENT_TYPES) expect(type).toMatch(/^[a-z]+\.[a-z_]+$/);
  });

  it.each(EVENT_TYPES)('%s: its example is a valid envelope under its own schema', (type) => {
    const event = EVENT_CATALOGUE[type];
    const validate = ajv.compile(envelopeSchema(type, event.source, event.dataSchema));
    const envelope = buildEnvelope({ source: event.source, type, subject: 'x', data: event.example });
    expect(validate(envelope)).toBe(true);
  });

  it('rejects data that breaks the schema (floats, exponents, signs or zero for amounts, missing fields)', () => {
    const event = EVENT_CATALOGUE['transaction.created'];
    const validate = ajv.compile(event.dataSchema);
    for (const amount of [10.5, '010', '1e400', '-50', '0', '1'.repeat(19)]) {
      expect(validate({ ...event.example, amount })).toBe(false);
    }
    const { currency: _omitted, ...withoutCurrency } = event.example;
    expect(validate(withoutCurrency)).toBe(false);
  });
});

describe('AsyncAPI document', () => {
  const document = buildAsyncApiDocument({
    title: 'Transactions events',
    version: '1.0.0',
    exchange: EXCHANGES.transactions,
    broker: { protocol: 'amqp', host: 'rabbitmq:5672', vhost: '/' },
  }) as {
    asyncapi: string;
    channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    operations: Record<string, { action: string }>;
    components: { messages: Record<string, { payload: object }> };
    servers: { rabbitmq: { host: string; pathname: string } };
  };

  it('names the broker, its default vhost written as in an AMQP URI', () => {
    expect(document.servers.rabbitmq).toMatchObject({ host: 'rabbitmq:5672', pathname: '/%2F' });
  });

  it('is AsyncAPI 3 with one channel per exchange and every broker event as a message', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(document.channels).sort()).toEqual([
      'ad-engine.events',
      'notifications.events',
      'transactions.events',
    ]);
    expect(Object.keys(document.channels['transactions.events'].messages).sort()).toEqual([
      'account.balance_updated',
      'account.created',
      'transaction.created',
      'transaction.updated',
    ]);
    expect(document.channels['notifications.events'].messages).not.toHaveProperty(['webhook.test']);
  });

  it("describes the app's own events as send operations", () => {
    expect(Object.keys(document.operations).sort()).toEqual([
      'publish.account.balance_updated',
      'publish.account.created',
      'publish.transaction.created',
      'publish.transaction.updated',
    ]);
    for (const operation of Object.values(document.operations)) expect(operation.action).toBe('send');
  });

  it("lists the subscriptions' queues only in notifications' document, which forwards to them", () => {
    expect(document.channels).not.toHaveProperty('subscriptions');
    const notifications = buildAsyncApiDocument({
      title: 'Notifications events',
      version: '1.0.0',
      exchange: EXCHANGES.notifications,
      broker: { protocol: 'amqp', host: 'rabbitmq:5672', vhost: '/' },
    }) as typeof document;
    expect(notifications.channels.subscriptions.address).toBe('subscriptions.{queue}');
    expect(Object.keys(notifications.channels.subscriptions.messages)).toContain('transaction.created');
    expect(notifications.operations['forward.subscriptions'].action).toBe('send');
  });

  it('names the vhost the app uses in every channel binding', () => {
    const onOwnVhost = buildAsyncApiDocument({
      title: 'Notifications events',
      version: '1.0.0',
      exchange: EXCHANGES.notifications,
      broker: { protocol: 'amqp', host: 'rabbitmq:5672', vhost: 'platform' },
      receives: [{ queue: 'notifications.fan-out', exchanges: [EXCHANGES.transactions], pattern: '#' }],
    }) as typeof document & { channels: Record<string, { bindings: { amqp: Record<string, { vhost: string }> } }> };
    const vhosts = Object.values(onOwnVhost.channels).map(
      ({ bindings: { amqp } }) => (amqp.exchange ?? amqp.queue).vhost,
    );
    expect(vhosts).toHaveLength(5);
    expect(new Set(vhosts)).toEqual(new Set(['platform']));
  });

  describe('receive operations', () => {
    type WithReceives = typeof document & {
      channels: Record<string, { bindings: { amqp: { is: string; queue: { name: string; durable: boolean } } } }>;
      operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
    };
    const build = (receives: { queue: string; exchanges: string[]; pattern: string }[]) =>
      buildAsyncApiDocument({
        title: 'Consumer events',
        version: '1.0.0',
        exchange: EXCHANGES.adEngine,
        broker: { protocol: 'amqp', host: 'rabbitmq:5672', vhost: '/' },
        receives,
      }) as WithReceives;
    const receivedTypes = (doc: WithReceives, queue: string) =>
      doc.operations[`receive.${queue}`].messages.map(({ $ref }) => $ref.split('/').pop()).sort();

    it('adds, per consumer queue, a queue channel and a receive operation with the messages its pattern matches', () => {
      const doc = build([
        { queue: 'ad-engine.funds', exchanges: [EXCHANGES.transactions], pattern: 'account.balance_updated' },
      ]);
      expect(doc.channels['ad-engine.funds']).toMatchObject({
        address: 'ad-engine.funds',
        bindings: { amqp: { is: 'queue', queue: { name: 'ad-engine.funds', durable: true } } },
      });
      expect(doc.operations['receive.ad-engine.funds']).toMatchObject({
        action: 'receive',
        channel: { $ref: '#/channels/ad-engine.funds' },
      });
      expect(receivedTypes(doc, 'ad-engine.funds')).toEqual(['account.balance_updated']);
      expect(Object.keys(doc.channels['ad-engine.funds'].messages)).toEqual(['account.balance_updated']);
    });

    it('matches wildcards only on the exchanges the queue is bound to', () => {
      const doc = build([
        { queue: 'q.all', exchanges: [EXCHANGES.transactions, EXCHANGES.adEngine], pattern: '#' },
        { queue: 'q.transactions', exchanges: [EXCHANGES.transactions, EXCHANGES.adEngine], pattern: 'transaction.*' },
      ]);
      const onBroker = EVENT_TYPES.filter(
        (type) =>
          EVENT_CATALOGUE[type].onBroker &&
          [EXCHANGES.transactions, EXCHANGES.adEngine].includes(EVENT_CATALOGUE[type].exchange as never),
      );
      expect(receivedTypes(doc, 'q.all')).toEqual([...onBroker].sort());
      expect(receivedTypes(doc, 'q.transactions')).toEqual(['transaction.created', 'transaction.updated']);
    });

    it('gives a queue bound by several handlers one channel with every message they take', () => {
      const doc = build([
        { queue: 'q.shared', exchanges: [EXCHANGES.transactions], pattern: 'account.created' },
        { queue: 'q.shared', exchanges: [EXCHANGES.transactions], pattern: 'transaction.created' },
      ]);
      expect(receivedTypes(doc, 'q.shared')).toEqual(['account.created', 'transaction.created']);
    });

    it('keeps only send operations when the app consumes nothing', () => {
      for (const operation of Object.values(build([]).operations)) expect(operation.action).toBe('send');
    });
  });

  it('has payload schemas that compile', () => {
    for (const message of Object.values(document.components.messages)) {
      expect(() => ajv.compile(message.payload)).not.toThrow();
    }
  });
});
