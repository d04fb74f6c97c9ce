import amqplib, { ConsumeMessage } from 'amqplib';
import { GroupCommit } from './group-commit';

export interface ConsumerOptions<T> {
  rabbitmqUrl: string;
  queue: string;
  prefetch: number;
  maxBatch: number;
  /** The message's data as the consumer needs it; throws for a message that breaks the contract. */
  parse(message: ConsumeMessage): T;
  /** Applies a batch in one transaction (its inbox included); messages are acked after it commits. */
  apply(items: T[]): Promise<void>;
}

/**
 * Consumes a queue (declared by the bench with the platform's own topology) in group-committed
 * batches: the batch commits, then its messages are acked, so a crash in between redelivers
 * them and the inbox makes the redelivery a no-op. A message that breaks the contract is
 * rejected without requeue, which dead-letters it to `<queue>.dlq`.
 */
export async function consumeInBatches<T>(options: ConsumerOptions<T>): Promise<() => Promise<void>> {
  const connection = await amqplib.connect(options.rabbitmqUrl, { noDelay: true });
  const channel = await connection.createChannel();
  await channel.prefetch(options.prefetch);
  const batches = new GroupCommit<{ message: ConsumeMessage; item: T }>(async (batch) => {
    await options.apply(batch.map(({ item }) => item));
    channel.ack(batch[batch.length - 1].message, true);
  }, options.maxBatch);
  await channel.consume(options.queue, (message) => {
    if (!message) return;
    let item: T;
    try {
      item = options.parse(message);
    } catch {
      channel.nack(message, false, false);
      return;
    }
    batches.add({ message, item });
  });
  return () => connection.close();
}
