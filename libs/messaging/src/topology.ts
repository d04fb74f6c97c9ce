import { deadLetterQueueName, unroutedName } from '@app/contracts';
import type { Channel } from 'amqplib';
import { retryQueueName } from './retry-policy';

/**
 * Quorum queues replicate and survive broker restarts; `at-least-once` dead-lettering keeps a
 * message in its queue until the dead-letter queue has confirmed it, which RabbitMQ only allows
 * together with `reject-publish` overflow (RabbitMQ docs, "Quorum Queues: Dead Lettering").
 */
const QUORUM_QUEUE = { 'x-queue-type': 'quorum' } as const;

/**
 * Declares a producer's durable topic exchange with its alternate exchange and the durable queue
 * behind it, so a message published before any consumer bound a queue is kept, not dropped.
 * Consumers call this too for the exchanges they read from, with the same arguments, so the
 * start order of apps does not matter.
 */
export async function declareEventExchange(channel: Channel, exchange: string): Promise<void> {
  const unrouted = unroutedName(exchange);
  await channel.assertExchange(unrouted, 'fanout', { durable: true });
  await channel.assertQueue(unrouted, { durable: true, arguments: QUORUM_QUEUE });
  await channel.bindQueue(unrouted, unrouted, '');
  await channel.assertExchange(exchange, 'topic', {
    durable: true,
    arguments: { 'alternate-exchange': unrouted },
  });
}

export interface QueueBinding {
  exchange: string;
  pattern: string;
}

/** What declaring a queue needs of a channel: amqplib's, or amqp-connection-manager's wrapper. */
export type QueueDeclarer = Pick<Channel, 'assertQueue'>;

/**
 * Declares a durable quorum queue with its dead-letter twin `<queue>.dlq`: messages the broker
 * itself dead-letters (delivery limit, rejects) land there, as do a consumer's poison messages.
 */
export async function declareQueueWithDeadLetters(channel: QueueDeclarer, queue: string): Promise<void> {
  const dlq = deadLetterQueueName(queue);
  await channel.assertQueue(dlq, { durable: true, arguments: QUORUM_QUEUE });
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      ...QUORUM_QUEUE,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': dlq,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      // A message that keeps killing its consumer is redelivered at most this often, then parked.
      'x-delivery-limit': 20,
    },
  });
}

/**
 * Declares a consumer's durable queue `<consumer>.<purpose>` with its dead-letter twin
 * `<queue>.dlq` and binds it.
 */
export async function declareConsumerQueue(
  channel: Channel,
  queue: string,
  bindings: QueueBinding[],
  retryDelaysMs: readonly number[] = [],
): Promise<void> {
  await declareQueueWithDeadLetters(channel, queue);
  // One delay queue per delay: messages wait out their TTL, then dead-letter back into the main
  // queue. A single queue with per-message TTLs would hold a 5 s retry behind a 5 min one.
  for (const delayMs of new Set(retryDelaysMs)) {
    await channel.assertQueue(retryQueueName(queue, delayMs), {
      durable: true,
      arguments: {
        ...QUORUM_QUEUE,
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
  }
  for (const { exchange, pattern } of bindings) {
    await declareEventExchange(channel, exchange);
    await channel.bindQueue(queue, exchange, pattern);
  }
}
