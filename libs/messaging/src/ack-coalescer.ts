import type { Channel, Message } from 'amqplib';

interface Received {
  message: Message;
  handled: boolean;
}

/**
 * Acks one channel's messages in as few frames as their order allows. Handlers finish in
 * batches (a group commit settles hundreds of messages at once), and one ack per message was a
 * frame and a write each way for the broker and this process. An ack is held until the current
 * turn of the event loop ends; then the run of handled messages from the oldest one still
 * outstanding is acked with a single `multiple` ack, and any handled after a message still being
 * handled are acked one by one (never held back, or they would keep prefetch slots).
 *
 * Every message the channel delivers must be `received` here, synchronously and in delivery
 * order, before it is settled: a `multiple` ack covers every unsettled tag up to its own.
 */
export class AckCoalescer {
  /** Unsettled messages by delivery tag, in delivery order (a Map keeps insertion order). */
  private readonly unsettled = new Map<number, Received>();
  private flushScheduled = false;

  constructor(private readonly channel: Pick<Channel, 'ack' | 'nack'>) {}

  received(message: Message): void {
    this.unsettled.set(message.fields.deliveryTag, { message, handled: false });
  }

  /** The message was handled: acked once this turn of the event loop ends. */
  ack(message: Message): void {
    const received = this.unsettled.get(message.fields.deliveryTag);
    if (!received) return;
    received.handled = true;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Nacked at once, on its own: a later `multiple` ack then no longer covers it. */
  nack(message: Message, requeue: boolean): void {
    this.unsettled.delete(message.fields.deliveryTag);
    this.send(() => this.channel.nack(message, false, requeue));
  }

  /** Sends the acks held so far (also before the channel closes). */
  flush(): void {
    this.flushScheduled = false;
    let lastOfRun: Message | undefined;
    let runLength = 0;
    const afterGap: Message[] = [];
    let gap = false;
    for (const [tag, received] of this.unsettled) {
      if (!received.handled) {
        gap = true;
        continue;
      }
      this.unsettled.delete(tag);
      if (gap) afterGap.push(received.message);
      else {
        lastOfRun = received.message;
        runLength++;
      }
    }
    this.send(() => {
      if (lastOfRun) this.channel.ack(lastOfRun, runLength > 1);
      for (const message of afterGap) this.channel.ack(message);
    });
  }

  private send(settle: () => void): void {
    try {
      settle();
    } catch {
      // The channel closed meanwhile (broker restart, killed connection): the broker has requeued
      // what it was not told, and delivers it again on the next channel. Settling it on that one
      // would be a protocol error that closes it too.
    }
  }
}
