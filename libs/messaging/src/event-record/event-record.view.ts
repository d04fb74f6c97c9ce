import type { EventEnvelope } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class OutboxRecordView {
  @ApiProperty({ type: Object, description: 'The CloudEvents envelope as it was (or will be) published' })
  envelope: EventEnvelope;

  @ApiProperty({
    example: '2026-01-02T03:04:05.123456Z',
    description: 'When the event was written to the outbox, in the transaction that committed the change',
  })
  committedAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-01-02T03:04:05.234567Z',
    description:
      "When the relay recorded the broker's confirm (with its next batch: a consumer may have applied the event " +
      'a moment before); null while it waits in the outbox',
  })
  publishedAt: string | null;
}

export class InboxRecordView {
  @ApiProperty({ example: 'ad-engine.funds', description: 'The consumer (its queue) that applied the event' })
  consumer: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.345678Z', description: 'When its effects were committed' })
  appliedAt: string;
}

/**
 * What one app keeps of one event: its outbox row if the app produced it, and its inbox entries
 * if the app consumed it. The HTTP contract between apps behind GET /events/:id/trace: the
 * producers serve it, notifications reads it.
 */
export class EventRecordView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    type: OutboxRecordView,
    nullable: true,
    description: 'null: this app did not produce the event, or pruned it (EVENT_RETENTION)',
  })
  outbox: OutboxRecordView | null;

  @ApiProperty({
    type: [InboxRecordView],
    description: 'Empty: no consumer of this app applied it, or the entries were pruned (INBOX_RETENTION)',
  })
  inbox: InboxRecordView[];
}
