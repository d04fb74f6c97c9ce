import { EventPattern } from '@nestjs/microservices';

/** Where a consumer's events come from: the producer's exchange and the consumer's own queue. */
export interface ConsumerSubscription {
  /**
   * The producer's exchange, e.g. `transactions.events`, or several: one handler for a queue
   * bound to each of them. (Two handlers with one pattern on one queue would both run for every
   * message, since Nest chains event handlers by pattern; the transport refuses that.)
   */
  exchange: string | readonly string[];
  /** The consumer's durable queue, `<consumer>.<purpose>` (never an exchange's name). */
  queue: string;
  /**
   * Unacked messages this queue may hand the process at once, instead of `CONSUMER_PREFETCH`:
   * a consumer that commits in batches needs enough of them in hand to fill one.
   */
  prefetch?: number;
}

/**
 * Marks a handler for events whose type matches the topic `pattern` (`*` one word, `#` any).
 * The RabbitMQ transport declares `queue` (with its `.dlq`), binds it to `exchange` with the
 * pattern, and acks a message only after the handler's returned promise resolves.
 */
export const ConsumeEvent = (pattern: string, subscription: ConsumerSubscription): MethodDecorator =>
  EventPattern(pattern, { ...subscription });
