import {
  ALL_EXCHANGES,
  deadLetterQueueName,
  EXCHANGES,
  ExchangeName,
  subscriptionQueueName,
  unroutedName,
} from '../exchanges';
import { topicMatches } from '../topic-pattern';
import { EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';
import { envelopeSchema } from './envelope-schema';

const AMQP_BINDING_VERSION = '0.3.0';
const SUBSCRIPTIONS_CHANNEL = 'subscriptions';

export interface AsyncApiOptions {
  title: string;
  version: string;
  /** The exchange this app publishes to: its events become `send` operations. */
  exchange: ExchangeName;
  /** The broker this app uses (its RABBITMQ_URL, without credentials). */
  broker: { protocol: 'amqp' | 'amqps'; host: string; vhost: string };
  /** What this app consumes: each queue becomes a channel and a `receive` operation. */
  receives?: readonly AsyncApiReceive[];
}

/** One consumer of this app: its queue, bound to `exchanges` with the topic `pattern`. */
export interface AsyncApiReceive {
  queue: string;
  exchanges: readonly string[];
  pattern: string;
}

/**
 * AsyncAPI 3.0 description of the platform's exchanges and messages, generated from the event
 * catalogue so that it cannot drift from what is published.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions): Record<string, unknown> {
  const onBroker = EVENT_TYPES.map((type) => EVENT_CATALOGUE[type]).filter((event) => event.onBroker);
  const messageRef = (type: string) => ({ $ref: `#/components/messages/${type}` });

  const channels: Record<string, object> = Object.fromEntries(
    ALL_EXCHANGES.map((exchange) => [
      exchange,
      {
        address: exchange,
        title: exchange,
        description: `Durable topic exchange; routing key = event type. Unroutable messages are kept in ${unroutedName(exchange)}.`,
        messages: Object.fromEntries(
          onBroker.filter((event) => event.exchange === exchange).map((event) => [event.type, messageRef(event.type)]),
        ),
        bindings: {
          amqp: {
            is: 'routingKey',
            exchange: { name: exchange, type: 'topic', durable: true, autoDelete: false, vhost: options.broker.vhost },
            bindingVersion: AMQP_BINDING_VERSION,
          },
        },
      },
    ]),
  );

  // Event-bus subscriptions (CONTRACT.md section 8): notifications forwards to queues it owns.
  const forwardsToSubscriptions = options.exchange === EXCHANGES.notifications;
  if (forwardsToSubscriptions) {
    channels[SUBSCRIPTIONS_CHANNEL] = {
      address: subscriptionQueueName('{queue}'),
      title: 'Subscription queues',
      description:
        'One durable quorum queue per subscription (POST /subscriptions on notifications), with its dead-letter ' +
        'queue `<address>.dlq`. Every matching event arrives through the default exchange with the envelope and ' +
        "message properties it had on its producer's exchange, plus the header `x-subscription-id` " +
        '(and `x-replay: true` when replayed).',
      parameters: { queue: { description: 'The `queue` of the subscription: 1 to 100 of [a-z0-9_.-]' } },
      messages: Object.fromEntries(onBroker.map((event) => [event.type, messageRef(event.type)])),
      bindings: {
        amqp: {
          is: 'queue',
          queue: {
            name: subscriptionQueueName('{queue}'),
            durable: true,
            exclusive: false,
            autoDelete: false,
            vhost: options.broker.vhost,
          },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
  }

  const operations: Record<string, object> = Object.fromEntries(
    onBroker
      .filter((event) => event.exchange === options.exchange)
      .map((event) => [
        `publish.${event.type}`,
        {
          action: 'send',
          summary: event.summary,
          channel: { $ref: `#/channels/${event.exchange}` },
          messages: [{ $ref: `#/channels/${event.exchange}/messages/${event.type}` }],
          bindings: { amqp: { deliveryMode: 2, mandatory: false, bindingVersion: AMQP_BINDING_VERSION } },
        },
      ]),
  );
  if (forwardsToSubscriptions) {
    operations['forward.subscriptions'] = {
      action: 'send',
      summary: "Forwards every event matching a subscription's filters to its queue, at least once",
      channel: { $ref: `#/channels/${SUBSCRIPTIONS_CHANNEL}` },
      messages: onBroker.map((event) => ({ $ref: `#/channels/${SUBSCRIPTIONS_CHANNEL}/messages/${event.type}` })),
      bindings: { amqp: { deliveryMode: 2, mandatory: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }

  for (const [queue, subscriptions] of byQueue(options.receives ?? [])) {
    const received = onBroker.filter((event) =>
      subscriptions.some(
        ({ exchanges, pattern }) => exchanges.includes(event.exchange) && topicMatches(pattern, event.type),
      ),
    );
    const boundAs = subscriptions.map(({ exchanges, pattern }) => `\`${pattern}\` from ${exchanges.join(', ')}`);
    channels[queue] = {
      address: queue,
      title: queue,
      description:
        `Durable quorum queue of this app, bound with ${boundAs.join('; ')}. A message is acked once ` +
        `handled; one that keeps failing ends in ${deadLetterQueueName(queue)}.`,
      messages: Object.fromEntries(received.map((event) => [event.type, messageRef(event.type)])),
      bindings: {
        amqp: {
          is: 'queue',
          queue: { name: queue, durable: true, exclusive: false, autoDelete: false, vhost: options.broker.vhost },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    operations[`receive.${queue}`] = {
      action: 'receive',
      summary: `Consumes ${boundAs.join('; ')}`,
      channel: { $ref: `#/channels/${queue}` },
      messages: received.map((event) => ({ $ref: `#/channels/${queue}/messages/${event.type}` })),
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }

  const messages = Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const event = EVENT_CATALOGUE[type];
      return [
        type,
        {
          name: type,
          title: type,
          summary: event.summary,
          contentType: 'application/cloudevents+json',
          description: `CloudEvents 1.0 structured envelope; subject = ${event.subject}.`,
          payload: envelopeSchema(type, event.source, event.dataSchema),
          examples: [{ name: 'example', payload: { type, source: event.source, data: event.example } }],
          bindings: { amqp: { messageType: type, bindingVersion: AMQP_BINDING_VERSION } },
        },
      ];
    }),
  );

  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title,
      version: options.version,
      description: 'Events of the transaction events platform, as CloudEvents on RabbitMQ topic exchanges.',
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      rabbitmq: {
        host: options.broker.host,
        // As in an AMQP URI: the default vhost `/` is `/%2F`.
        pathname: `/${encodeURIComponent(options.broker.vhost)}`,
        protocol: options.broker.protocol,
        protocolVersion: '0-9-1',
        description: `RabbitMQ, vhost "${options.broker.vhost}" (set by RABBITMQ_URL)`,
      },
    },
    channels,
    operations,
    components: { messages },
  };
}

/** Handlers that share a queue, together: the queue is one channel whatever the number of patterns bound to it. */
function byQueue(receives: readonly AsyncApiReceive[]): Map<string, AsyncApiReceive[]> {
  const queues = new Map<string, AsyncApiReceive[]>();
  for (const receive of receives) queues.set(receive.queue, [...(queues.get(receive.queue) ?? []), receive]);
  return queues;
}
