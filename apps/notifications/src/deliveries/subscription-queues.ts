import { InjectConfig } from '@app/config';
import { deadLetterQueueName, EventEnvelope, subscriptionQueueName } from '@app/contracts';
import { declareQueueWithDeadLetters, eventMessageProperties, RabbitMqConnection } from '@app/messaging';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { NotificationsConfig } from '../config';
import type { ClaimedQueueDelivery } from './deliveries.repository';
import type { SendResult } from './webhook-sender';

/** Thrown when `subscriptions.<queue>` exists with arguments other than the platform's. */
export class QueueArgumentsConflict extends Error {}

/** Thrown when the broker cannot declare or delete a subscription's queue now (down, refusing). */
export class BrokerUnavailable extends Error {}

/** How long declaring or deleting a queue may wait for the broker before the request gives up. */
const BROKER_OPERATION_TIMEOUT_MS = 5_000;

/**
 * The broker side of event-bus subscriptions (CONTRACT.md section 8): the platform declares and
 * owns `subscriptions.<queue>` (quorum, with its `.dlq`) and forwards a subscription's events to
 * it through the default exchange, with the envelope and message properties they had on their
 * producer's exchange plus `x-subscription-id` (and `x-replay: true` for a replay).
 *
 * A forward is mandatory and confirmed: it counts as delivered only once the broker has taken
 * responsibility for it in the queue. A queue deleted behind the platform's back makes the
 * broker return the message, which fails the attempt (retried on schedule), and the queue is
 * declared again before the next one.
 */
@Injectable()
export class SubscriptionQueues implements OnApplicationShutdown {
  private readonly channel: ChannelWrapper;
  /** Queues declared on the current channel: declared again after a reconnect, or once missing. */
  private readonly declared = new Set<string>();
  /** Messages the broker returned (no such queue), by queue and message id, until their confirm. */
  private readonly returned = new Set<string>();

  constructor(
    connection: RabbitMqConnection,
    @InjectConfig() private readonly config: NotificationsConfig,
  ) {
    this.channel = connection.createChannel('notifications.subscriptions', async (channel) => {
      this.declared.clear();
      // The broker sends a basic.return before the basic.ack of the same message.
      channel.on('return', (message) =>
        this.returned.add(returnKey(message.fields.routingKey, message.properties.messageId)),
      );
    });
  }

  /** Declares the queue and its `.dlq`; throws QueueArgumentsConflict if it exists otherwise. */
  async declare(queue: string): Promise<void> {
    const name = subscriptionQueueName(queue);
    try {
      await withinTimeout(declareQueueWithDeadLetters(this.channel, name));
    } catch (error) {
      // 406 PRECONDITION_FAILED: a queue of that name with other arguments (or type).
      if ((error as { code?: number }).code === 406) throw new QueueArgumentsConflict(name);
      throw new BrokerUnavailable(`cannot declare ${name}: ${(error as Error).message}`);
    }
    this.declared.add(name);
  }

  /** Deletes the queue and its `.dlq`, with whatever they hold. */
  async delete(queue: string): Promise<void> {
    const name = subscriptionQueueName(queue);
    this.declared.delete(name);
    try {
      await withinTimeout(this.channel.deleteQueue(name));
      await withinTimeout(this.channel.deleteQueue(deadLetterQueueName(name)));
    } catch (error) {
      throw new BrokerUnavailable(`cannot delete ${name}: ${(error as Error).message}`);
    }
  }

  async forward(delivery: ClaimedQueueDelivery): Promise<SendResult> {
    const started = performance.now();
    const name = subscriptionQueueName(delivery.queue);
    const outcome = (error: string | null): SendResult => ({
      statusCode: null,
      responseExcerpt: null,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    try {
      if (!this.declared.has(name)) await this.declare(delivery.queue);
      const envelope = JSON.parse(delivery.body) as EventEnvelope;
      const properties = eventMessageProperties(envelope, envelope.source.replace(/^\//, ''));
      const key = returnKey(name, envelope.id);
      await this.channel.publish('', name, Buffer.from(delivery.body), {
        ...properties,
        mandatory: true,
        headers: {
          ...properties.headers,
          'x-subscription-id': delivery.endpoint_id,
          ...(delivery.replay ? { 'x-replay': true } : {}),
        },
        timeout: this.config.WEBHOOK_TIMEOUT_MS,
      });
      if (this.returned.delete(key)) {
        this.declared.delete(name);
        return outcome(
          `queue ${name} does not exist (deleted outside the platform): declared again for the next attempt`,
        );
      }
      return outcome(null);
    } catch (error) {
      return outcome(`not forwarded to ${name}: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close().catch(() => undefined);
  }
}

async function withinTimeout<T>(operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${BROKER_OPERATION_TIMEOUT_MS} ms`)),
      BROKER_OPERATION_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([operation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function returnKey(queue: string, messageId: string): string {
  return `${queue}\n${messageId}`;
}
