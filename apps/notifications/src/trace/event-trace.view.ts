import { ApiProperty } from '@nestjs/swagger';
import type { DeliveryStatus } from '../deliveries/delivery.view';

/** The apps a trace asks: notifications reads its own tables, the producers answer over HTTP. */
export const TRACED_APPS = ['transactions', 'ad-engine', 'notifications'] as const;
export type TracedApp = (typeof TRACED_APPS)[number];

export class TraceConsumerView {
  @ApiProperty({ enum: TRACED_APPS })
  app: TracedApp;

  @ApiProperty({ example: 'ad-engine.funds', description: 'The consumer queue that applied it' })
  queue: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.345678Z', description: 'When its effects were committed (inbox)' })
  at: string;

  @ApiProperty({ enum: ['applied'] })
  outcome: 'applied';
}

export class TraceAttemptView {
  @ApiProperty({ example: '2026-01-02T03:04:05.456Z' })
  at: string;

  @ApiProperty({ type: Number, nullable: true, example: 204, description: 'null: no answer (timeout, refused)' })
  statusCode: number | null;

  @ApiProperty({ example: 12 })
  durationMs: number;
}

export class TraceDeliveryView {
  @ApiProperty({ format: 'uuid' })
  webhookId: string;

  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'dead'] })
  status: DeliveryStatus;

  @ApiProperty({ type: [TraceAttemptView], description: 'Oldest first' })
  attempts: TraceAttemptView[];
}

export class TraceSubscriptionView {
  @ApiProperty({ format: 'uuid', description: 'The subscription' })
  id: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-01-02T03:04:05.456Z',
    description: 'When the broker confirmed the forward to subscriptions.<queue>; null: not forwarded yet',
  })
  forwardedAt: string | null;
}

export class EventTraceView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'transaction.created',
    description: 'null only when every copy of the envelope is gone (pruned) while some hop is still recorded',
  })
  type: string | null;

  @ApiProperty({ type: String, nullable: true, example: '/transactions' })
  source: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-01-02T03:04:05.123456Z',
    description:
      "When the producer wrote it to its outbox, in the transaction that committed the change. null: the producer's " +
      'outbox no longer holds it (EVENT_RETENTION) or the producer could not be asked (see incomplete)',
  })
  committedAt: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-01-02T03:04:05.234567Z',
    description:
      "When the producer recorded the broker's confirm (a consumer may have applied it a moment before). null: not " +
      'published yet, or unknown as committedAt is',
  })
  publishedAt: string | null;

  @ApiProperty({ type: [TraceConsumerView], description: 'Every consumer that applied it, in the order they did' })
  consumers: TraceConsumerView[];

  @ApiProperty({ type: [TraceDeliveryView], description: 'Webhook deliveries, oldest first (a replay adds one)' })
  deliveries: TraceDeliveryView[];

  @ApiProperty({ type: [TraceSubscriptionView], description: 'Forwards to event-bus subscriptions, oldest first' })
  subscriptions: TraceSubscriptionView[];

  @ApiProperty({
    type: [String],
    enum: TRACED_APPS,
    example: [],
    description: 'Apps that could not be asked (down, or no answer within 2 s): what they kept is missing here',
  })
  incomplete: TracedApp[];
}
