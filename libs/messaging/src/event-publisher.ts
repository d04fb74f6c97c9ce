import type { EventEnvelope } from '@app/contracts';
import { inProducerSpan } from '@app/observability';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Options } from 'amqplib';
import { declareEventExchange } from './topology';
import type { RabbitMqConnection } from './rabbitmq.connection';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * The message properties of an event as its producer `appId` publishes it (CONTRACT.md section
 * 5), all derived from the envelope, so a message forwarded to a subscription's queue carries
 * exactly the properties it had on the producer's exchange.
 */
export function eventMessageProperties(envelope: EventEnvelope, appId: string): Options.Publish {
  return {
    persistent: true,
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    messageId: envelope.id,
    type: envelope.type,
    appId,
    timestamp: Math.floor(Date.parse(envelope.time) / 1000),
    headers: envelope.traceparent ? { traceparent: envelope.traceparent } : {},
  };
}

/**
 * Publishes CloudEvents envelopes to the app's own exchange on a confirm channel: `publish`
 * resolves only once the broker has taken responsibility for the message, so a caller (the
 * outbox relay) may mark it sent. Messages are persistent and carry the contract's properties.
 */
export class EventPublisher {
  private readonly channel: ChannelWrapper;

  constructor(
    connection: RabbitMqConnection,
    private readonly appName: string,
    readonly exchange: string,
  ) {
    this.channel = connection.createChannel(`${appName}.publisher`, (channel) =>
      declareEventExchange(channel, exchange),
    );
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    const traced = {
      destination: this.exchange,
      routingKey: envelope.type,
      eventId: envelope.id,
      eventType: envelope.type,
      traceparent: envelope.traceparent,
    };
    await inProducerSpan(traced, () =>
      this.channel.publish(
        this.exchange,
        envelope.type,
        Buffer.from(JSON.stringify(envelope)),
        eventMessageProperties(envelope, this.appName),
      ),
    );
  }

  /** Resolves once the channel is open and the exchange declared. */
  async waitUntilReady(): Promise<void> {
    await this.channel.waitForConnect();
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
