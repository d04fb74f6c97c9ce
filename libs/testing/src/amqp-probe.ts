import amqplib, { Channel, ChannelModel, ConsumeMessage, Message } from 'amqplib';
import { eventually } from './eventually';

/**
 * An independent consumer built on plain amqplib, the way an outside team would read our
 * events: its own exclusive queue bound to an exchange. Tests use it to see exactly what was
 * published, without any of the platform's own messaging code in the way.
 */
export class AmqpProbe {
  readonly messages: ConsumeMessage[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    readonly channel: Channel,
  ) {}

  static async connect(url: string): Promise<AmqpProbe> {
    const connection = await amqplib.connect(url);
    const channel = await connection.createChannel();
    return new AmqpProbe(connection, channel);
  }

  /** Binds a fresh exclusive queue to `exchange` (which must exist) and records what arrives. */
  async listen(exchange: string, pattern = '#'): Promise<void> {
    await this.channel.checkExchange(exchange);
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true });
    await this.channel.bindQueue(queue, exchange, pattern);
    await this.channel.consume(queue, (message) => message && this.messages.push(message), { noAck: true });
  }

  /** Publishes a CloudEvent as any producer following the contract would (persistent, typed). */
  publishEvent(exchange: string, event: { id: string; type: string }): void {
    this.channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      contentType: 'application/cloudevents+json',
      messageId: event.id,
      type: event.type,
    });
  }

  /**
   * Publishes any bytes as a forger with write access to the exchange could: tests of what
   * consumers refuse. `messageId` tells the message apart in a dead-letter queue.
   */
  publishRaw(exchange: string, routingKey: string, body: string | Buffer, messageId: string): void {
    this.channel.publish(exchange, routingKey, typeof body === 'string' ? Buffer.from(body) : body, {
      persistent: true,
      contentType: 'application/cloudevents+json',
      messageId,
    });
  }

  /**
   * Waits until `queue` (a `.dlq`) has held `count` messages in all, taking them out, and
   * answers each one's dead-letter reason by message id.
   */
  async deadLetterReasons(queue: string, count: number): Promise<Record<string, string>> {
    const parked: Message[] = [];
    await eventually(async () => {
      parked.push(...(await this.drain(queue)));
      expect(parked.length).toBeGreaterThanOrEqual(count);
    });
    return Object.fromEntries(
      parked.map((message) => [
        String(message.properties.messageId),
        String(message.properties.headers?.['x-dead-letter-reason']),
      ]),
    );
  }

  /** Every message body so far, parsed as JSON. */
  bodies<T = Record<string, unknown>>(): T[] {
    return this.messages.map((message) => JSON.parse(message.content.toString('utf8')) as T);
  }

  /** Reads (and removes) every message currently in a named queue. */
  async drain(queue: string): Promise<Message[]> {
    const drained: Message[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return drained;
      drained.push(message);
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
