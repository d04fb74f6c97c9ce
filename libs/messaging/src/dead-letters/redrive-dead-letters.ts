import { deadLetterQueueName } from '@app/contracts';
import type { ChannelModel, GetMessage, MessageProperties, Options } from 'amqplib';
import { LAST_ERROR_HEADER, RETRY_COUNT_HEADER } from '../retry-policy';

/** The queue named cannot be redriven: it is a `.dlq` itself, or it or its `.dlq` twin does not exist. */
export class RedriveRefusedError extends Error {
  override readonly name = 'RedriveRefusedError';
}

export interface RedriveOptions {
  /** Move at most this many messages (default: every message the DLQ held when the redrive began). */
  limit?: number;
  /** Messages published per broker confirm (default 100). */
  batchSize?: number;
}

export interface RedriveResult {
  queue: string;
  deadLetterQueue: string;
  moved: number;
  /** Messages the DLQ held when the redrive began. */
  found: number;
}

/**
 * The counts of the failed run, which would otherwise follow the message back: the consumer's
 * retry count (or it would be dead-lettered again at its first failure, with no retry left), its
 * last error, and the quorum queue's delivery count (the broker keeps its own).
 */
const FAILED_RUN_HEADERS = [RETRY_COUNT_HEADER, LAST_ERROR_HEADER, 'x-delivery-count'];

/**
 * Moves the messages parked in `<queue>.dlq` back into `<queue>` through the default exchange,
 * oldest first, with their body and properties as they are (headers too, the dead-letter reason
 * and `x-death` included, but for FAILED_RUN_HEADERS). A message is acked in the DLQ only after
 * the broker has confirmed its copy in `<queue>`, so a redrive that dies midway loses nothing: at
 * worst a message is in both queues, and consumers are idempotent by event id.
 *
 * Only the messages the DLQ held when the redrive began are moved, so a message that fails again
 * at once and is parked anew is not sent round in a loop.
 */
export async function redriveDeadLetters(
  connection: ChannelModel,
  queue: string,
  { limit = Number.POSITIVE_INFINITY, batchSize = 100 }: RedriveOptions = {},
): Promise<RedriveResult> {
  if (queue.endsWith('.dlq')) {
    throw new RedriveRefusedError(
      `${queue} is a dead-letter queue: name the queue it belongs to (${queue.slice(0, -4)})`,
    );
  }
  const deadLetterQueue = deadLetterQueueName(queue);
  await mustExist(connection, queue, `no queue ${queue} on this vhost`);
  const found = await mustExist(
    connection,
    deadLetterQueue,
    `${queue} has no dead-letter queue ${deadLetterQueue}: only a consumer queue declared with its .dlq twin can be redriven`,
  );

  const channel = await connection.createConfirmChannel();
  // An unroutable message (the queue was deleted meanwhile) is confirmed all the same; `mandatory`
  // makes the broker hand it back first, so it is never acked away.
  let returned = 0;
  channel.on('return', () => returned++);
  let moved = 0;
  try {
    const wanted = Math.min(found, limit);
    while (moved < wanted) {
      const batch: GetMessage[] = [];
      while (batch.length < Math.min(batchSize, wanted - moved)) {
        const message = await channel.get(deadLetterQueue, { noAck: false });
        if (message === false) break;
        batch.push(message);
      }
      if (batch.length === 0) break;
      for (const message of batch) {
        channel.publish('', queue, message.content, { ...publishOptionsOf(message.properties), mandatory: true });
      }
      // Throws if the broker refused any of them (e.g. the queue is over its length limit): the
      // batch stays unacked and goes back to the DLQ when the channel closes.
      await channel.waitForConfirms();
      if (returned > 0)
        throw new Error(`${queue} did not take ${returned} message(s); they stay in ${deadLetterQueue}`);
      channel.ack(batch[batch.length - 1], true);
      moved += batch.length;
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
  return { queue, deadLetterQueue, moved, found };
}

/** The queue's message count; a missing queue closes the channel it was asked on, so one of its own. */
async function mustExist(connection: ChannelModel, queue: string, refusal: string): Promise<number> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } catch (error) {
    if ((error as { code?: number }).code === 404) throw new RedriveRefusedError(refusal);
    throw error;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** The message's properties as publish options: everything kept, but the failed run's counts. */
function publishOptionsOf(properties: MessageProperties): Options.Publish {
  const headers = { ...properties.headers };
  for (const header of FAILED_RUN_HEADERS) delete headers[header];
  const options: Options.Publish = { headers };
  const kept = [
    'contentType',
    'contentEncoding',
    'deliveryMode',
    'priority',
    'correlationId',
    'replyTo',
    'expiration',
    'messageId',
    'timestamp',
    'type',
    'userId',
    'appId',
  ] as const;
  for (const name of kept) {
    if (properties[name] !== undefined) (options as Record<string, unknown>)[name] = properties[name];
  }
  return options;
}
