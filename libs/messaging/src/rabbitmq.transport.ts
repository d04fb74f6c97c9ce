import {
  deadLetterQueueName,
  EventEnvelope,
  EventRejection,
  EventSchemaCheck,
  InvalidEnvelopeError,
  parseEnvelope,
  topicMatches,
} from '@app/contracts';
import { inConsumerSpan, reportProblem } from '@app/observability';
import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { lastValueFrom } from 'rxjs';
import { AckCoalescer } from './ack-coalescer';
import type { ConsumerSubscription } from './consume-event.decorator';
import { RabbitMqConnection } from './rabbitmq.connection';
import { RabbitMqContext } from './rabbitmq.context';
import type { MessagingMetrics } from './messaging.metrics';
import {
  decideAfterFailure,
  isTransientFailure,
  LAST_ERROR_HEADER,
  PoisonMessageError,
  RETRY_COUNT_HEADER,
  retryQueueName,
} from './retry-policy';
import { declareConsumerQueue } from './topology';

export interface RabbitMqTransportOptions {
  /** Unacked messages a queue may hand this process at once (bounds handler concurrency). */
  prefetch: number;
  /** Delays between attempts of a failing handler; then the message is dead-lettered. */
  retryDelaysMs: readonly number[];
  /** How long `close()` waits for in-flight handlers before giving up on them (they are redelivered). */
  drainTimeoutMs: number;
  /** A message body larger than this is refused unread (`too-large`). */
  maxEventBytes: number;
  /** The schema of each event type a message must match before any handler sees it. */
  eventSchemas: EventSchemaCheck;
}

/** Why a message was dead-lettered, in a word: the `reason` tag of its Sentry event. */
export type DeadLetterReason = EventRejection['reason'] | 'no-handler' | 'handler-failed';

interface Subscriber {
  pattern: string;
  exchanges: readonly string[];
  prefetch?: number;
  handler: MessageHandler;
}

/** Header names a dead-lettered message carries, so an operator sees why it was parked. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  queue: 'x-original-queue',
  at: 'x-dead-lettered-at',
  /** For a refused message (reason `too-large`, `invalid-envelope` or `schema-violation`): what is wrong. */
  detail: 'x-dead-letter-detail',
} as const;

/**
 * Nest custom transport over the app's shared RabbitMQ connection. Handlers stay declarative
 * (`@ConsumeEvent('transaction.*', {exchange, queue})`); dispatch is by the CloudEvent `type`, so
 * messages from any publisher that follows the contract are understood, not only Nest's own
 * `{pattern, data}` packets. Acknowledgement is manual and happens only after the handler has
 * finished (acks of messages finished together share one frame, see AckCoalescer); a malformed message or a failing handler is parked in `<queue>.dlq` with the reason
 * in its headers instead of being requeued in a hot loop.
 *
 * Nothing on the broker is trusted (CONTRACT.md section 9): before any handler runs, a message
 * must be at most `maxEventBytes` (checked before it is parsed), a CloudEvents envelope, and match
 * the schema of its type; otherwise it goes straight to `<queue>.dlq` with the reason
 * `too-large`, `invalid-envelope` or `schema-violation`, and is never retried.
 */
export class RabbitMqTransport extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(RabbitMqTransport.name);
  private readonly subscribersByQueue = new Map<string, Subscriber[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private channel?: ChannelWrapper;
  /** Acks on the amqplib channel of the current connection; delivery tags are only valid on it. */
  private currentAcks?: AckCoalescer;
  private closing = false;

  constructor(
    private readonly connection: RabbitMqConnection,
    private readonly options: RabbitMqTransportOptions,
    private readonly metrics: MessagingMetrics,
  ) {
    super();
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    // Not registered with Nest's own table: it chains handlers that share a pattern, and each
    // would then run for every message of every queue with that pattern. Dispatch is per queue here.
    const { exchange, queue, prefetch } = extras as Partial<ConsumerSubscription>;
    if (!isEventHandler || typeof pattern !== 'string' || !exchange || !queue) {
      throw new Error(`RabbitMQ handlers need @ConsumeEvent(pattern, { exchange, queue }); got ${String(pattern)}`);
    }
    const subscribers = this.subscribersByQueue.get(queue) ?? [];
    if (subscribers.some((subscriber) => subscriber.pattern === pattern)) {
      throw new Error(
        `two handlers for ${pattern} on ${queue}: only one could receive its messages; give one handler several exchanges`,
      );
    }
    const exchanges = typeof exchange === 'string' ? [exchange] : exchange;
    subscribers.push({ pattern, exchanges, prefetch, handler: callback });
    this.subscribersByQueue.set(queue, subscribers);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    if (this.subscribersByQueue.size === 0) {
      callback();
      return;
    }
    try {
      this.channel = this.connection.createChannel('consumer', (channel) => this.setup(channel));
      await this.channel.waitForConnect();
      this.metrics.countDeadLetters(() => this.deadLetterDepths());
      for (const [queue, subscribers] of this.subscribersByQueue) {
        this.metrics.consuming(queue);
        const prefetch = Math.max(...subscribers.map((subscriber) => subscriber.prefetch ?? this.options.prefetch));
        await this.channel.consume(queue, (message) => this.track(this.onMessage(queue, message)), { prefetch });
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * How many messages each consumed queue's `.dlq` holds, asked of the broker on the consumer
   * channel, whose set-up declares every `.dlq` on each (re)connect: a check cannot meet a missing
   * queue unless an operator deleted one, and then the channel's recovery declares it again.
   */
  private async deadLetterDepths(): Promise<{ queue: string; messages: number }[]> {
    const channel = this.channel as ChannelWrapper;
    return Promise.all(
      [...this.subscribersByQueue.keys()].map(async (queue) => {
        const dlq = deadLetterQueueName(queue);
        return { queue: dlq, messages: (await channel.checkQueue(dlq)).messageCount };
      }),
    );
  }

  private async setup(channel: ConfirmChannel): Promise<void> {
    this.currentAcks = new AckCoalescer(channel);
    for (const [queue, subscribers] of this.subscribersByQueue) {
      await declareConsumerQueue(
        channel,
        queue,
        subscribers.flatMap(({ exchanges, pattern }) => exchanges.map((exchange) => ({ exchange, pattern }))),
        this.options.retryDelaysMs,
      );
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async onMessage(queue: string, message: ConsumeMessage): Promise<void> {
    // The channel this message came on: its acks must go back on the same one.
    const acks = this.currentAcks as AckCoalescer;
    acks.received(message);
    const checked = this.checkMessage(message);
    if ('reason' in checked) return this.refuse(queue, message, acks, checked);
    const envelope = checked.envelope;
    const subscriber = this.subscribersByQueue.get(queue)?.find(({ pattern }) => topicMatches(pattern, envelope.type));
    if (!subscriber) {
      return this.deadLetter(queue, message, acks, 'no-handler', `no handler for event type ${envelope.type}`);
    }
    const handled = this.metrics.handlerDuration.startTimer({ queue });
    try {
      // Events the handler publishes continue the trace of the message it handles.
      const traced = {
        destination: message.fields.exchange,
        routingKey: message.fields.routingKey,
        eventId: envelope.id,
        eventType: envelope.type,
        traceparent: message.properties.headers?.traceparent ?? envelope.traceparent,
      };
      await inConsumerSpan(queue, traced, async () => {
        const result = await subscriber.handler(envelope, new RabbitMqContext([message, queue]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      });
    } catch (error) {
      handled({ outcome: 'failed' });
      return this.onHandlerFailure(queue, message, acks, error);
    }
    handled({ outcome: 'succeeded' });
    acks.ack(message);
    this.metrics.consumed.inc({ queue, outcome: 'acked' });
  }

  /** The message's envelope when it may reach a handler, else why it may not. */
  private checkMessage(message: ConsumeMessage): { envelope: EventEnvelope } | EventRejection {
    // Before parsing: a huge body must cost neither the JSON parse nor anything after it.
    const size = message.content.length;
    if (size > this.options.maxEventBytes) {
      return {
        reason: 'too-large',
        detail: `${size} bytes, more than MAX_EVENT_BYTES (${this.options.maxEventBytes})`,
      };
    }
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(message.content);
    } catch (error) {
      if (!(error instanceof InvalidEnvelopeError)) throw error;
      return { reason: 'invalid-envelope', detail: error.message };
    }
    return this.options.eventSchemas.check(envelope) ?? { envelope };
  }

  private refuse(queue: string, message: ConsumeMessage, acks: AckCoalescer, rejection: EventRejection): Promise<void> {
    return this.deadLetter(queue, message, acks, rejection.reason, rejection.reason, { detail: rejection.detail });
  }

  /**
   * A failing handler's message goes to the delay queue of its next attempt (the main queue keeps
   * flowing meanwhile) until the retry schedule is used up, then to the DLQ with the reason; unless
   * the failure was transient (database or network away), which is retried until it passes.
   */
  private async onHandlerFailure(
    queue: string,
    message: ConsumeMessage,
    acks: AckCoalescer,
    error: unknown,
  ): Promise<void> {
    const reason = (error as Error)?.message ?? String(error);
    const headers = message.properties.headers ?? {};
    const decision =
      error instanceof PoisonMessageError
        ? ({ action: 'dead-letter' } as const)
        : decideAfterFailure(headers[RETRY_COUNT_HEADER], this.options.retryDelaysMs, isTransientFailure(error));
    if (decision.action === 'dead-letter') {
      const retries = Number(headers[RETRY_COUNT_HEADER] ?? 0);
      const attempts = retries > 0 ? ` after ${retries + 1} attempts` : '';
      return this.deadLetter(queue, message, acks, 'handler-failed', `handler failed${attempts}: ${reason}`, { error });
    }
    this.logger.warn(
      `handler for ${message.properties.messageId ?? '(no id)'} on ${queue} failed (${reason}); attempt ${decision.attempt + 1} in ${decision.delayMs} ms`,
    );
    try {
      await (this.channel as ChannelWrapper).sendToQueue(retryQueueName(queue, decision.delayMs), message.content, {
        ...message.properties,
        persistent: true,
        headers: { ...headers, [RETRY_COUNT_HEADER]: decision.attempt, [LAST_ERROR_HEADER]: reason.slice(0, 1_000) },
      });
      acks.ack(message);
      this.metrics.consumed.inc({ queue, outcome: 'retried' });
    } catch {
      // Not confirmed: leave it unacked; it comes back when the channel is recovered.
      acks.nack(message, true);
    }
  }

  /**
   * Copies the message to `<queue>.dlq` with the reason, waits for the broker's confirm, then
   * acks the original. A crash in between redelivers it: at worst the DLQ holds a duplicate.
   * Reported to Sentry either way: if the copy fails the broker dead-letters the original.
   */
  private async deadLetter(
    queue: string,
    message: ConsumeMessage,
    acks: AckCoalescer,
    code: DeadLetterReason,
    reason: string,
    { detail, error }: { detail?: string; error?: unknown } = {},
  ): Promise<void> {
    const channel = this.channel as ChannelWrapper;
    const eventId = typeof message.properties.messageId === 'string' ? message.properties.messageId : undefined;
    const described = `${reason}${detail ? ` (${detail})` : ''}`;
    this.logger.warn(`dead-lettering message ${eventId ?? '(no id)'} from ${queue}: ${described}`);
    reportProblem({
      kind: 'dead-letter',
      error,
      message: `message ${eventId ?? '(no id)'} dead-lettered from ${queue}: ${described}`,
      tags: { queue, eventId, reason: code },
      // One issue per queue and reason, not one per message.
      fingerprint: ['dead-letter', queue, code],
    });
    try {
      await channel.sendToQueue(deadLetterQueueName(queue), message.content, {
        ...message.properties,
        persistent: true,
        headers: {
          ...message.properties.headers,
          [DEAD_LETTER_HEADERS.reason]: reason.slice(0, 1_000),
          [DEAD_LETTER_HEADERS.queue]: queue,
          [DEAD_LETTER_HEADERS.at]: new Date().toISOString(),
          ...(detail ? { [DEAD_LETTER_HEADERS.detail]: detail.slice(0, 1_000) } : {}),
        },
      });
      acks.ack(message);
      this.metrics.consumed.inc({ queue, outcome: 'dead_lettered' });
    } catch (error) {
      // The DLQ copy was not confirmed: let the broker dead-letter it itself (its DLX is the .dlq).
      this.logger.error(`could not park message in ${deadLetterQueueName(queue)}: ${(error as Error).message}`);
      acks.nack(message, false);
    }
  }

  /** Stops taking messages, lets in-flight handlers finish (bounded), then closes the channel. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!this.channel) return;
    await this.channel.cancelAll().catch(() => undefined);
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => setTimeout(resolve, this.options.drainTimeoutMs).unref()),
    ]);
    this.currentAcks?.flush();
    await this.channel.close();
  }

  on(): never {
    throw new Error('RabbitMqTransport does not emit status events');
  }

  unwrap<T>(): T {
    return this.channel as T;
  }
}
