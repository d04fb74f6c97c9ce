import { EXCHANGES } from '@app/contracts';
import amqplib, { ChannelModel } from 'amqplib';

/**
 * A listener on the broker between the relay and the consumers: an exclusive auto-delete queue of
 * the bench's own, bound to the transactions exchange for `transaction.created`, that records
 * when each event reached it (wall clock, to compare with the database's timestamps). It is one
 * more queue the relay's publishes route to, a small cost both chains pay alike. Arrival times
 * include the bench process's own event-loop delay, which also drives the load.
 */
export class EventTap {
  /** Transaction id (the event's `data.id`) -> arrival, ms since the epoch. */
  readonly arrivedAt = new Map<string, number>();

  private constructor(private readonly connection: ChannelModel) {}

  static async start(rabbitmqUrl: string): Promise<EventTap> {
    const connection = await amqplib.connect(rabbitmqUrl);
    const tap = new EventTap(connection);
    try {
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      await channel.bindQueue(queue, EXCHANGES.transactions, 'transaction.created');
      await channel.consume(
        queue,
        (message) => {
          if (!message) return;
          const at = performance.timeOrigin + performance.now();
          const event = JSON.parse(message.content.toString('utf8')) as { data?: { id?: string } };
          const id = event.data?.id;
          if (id && !tap.arrivedAt.has(id)) tap.arrivedAt.set(id, at);
        },
        { noAck: true },
      );
      return tap;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** Closing the connection deletes the queue (exclusive). */
  async close(): Promise<void> {
    await this.connection.close();
  }
}
