import { ApiProperty } from '@nestjs/swagger';
import { Ordering, ORDERINGS, TargetColumns } from '../endpoints/endpoint.view';

/** A subscription (`kind = 'queue'` in notifications.endpoints): its events go to `subscriptions.<queue>`. */
export interface SubscriptionRow extends TargetColumns {
  queue: string;
}

export class SubscriptionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'large-eur-deposits', description: 'Events are forwarded to subscriptions.<queue>' })
  queue: string;

  @ApiProperty({ type: [String], nullable: true, example: ['transaction.created'], description: 'null: every event' })
  eventTypes: string[] | null;

  @ApiProperty({
    type: Object,
    nullable: true,
    example: { data: { currency: ['EUR'], amount: [{ numeric: ['>=', 100000] }] } },
    description: 'EventBridge-style event pattern over the envelope; null: no content filter',
  })
  filter: object | null;

  @ApiProperty({ enum: ORDERINGS, description: 'subject: one at a time per subject, in publish order' })
  ordering: Ordering;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  updatedAt: string;

  static of(row: SubscriptionRow): SubscriptionView {
    return {
      id: row.id,
      queue: row.queue,
      eventTypes: row.event_types,
      filter: row.filter,
      ordering: row.ordering,
      description: row.description,
      enabled: row.enabled,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

export class SubscriptionPage {
  @ApiProperty({ type: [SubscriptionView] })
  data: SubscriptionView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}
