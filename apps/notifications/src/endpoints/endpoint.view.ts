import { ApiProperty } from '@nestjs/swagger';

export type Ordering = 'none' | 'subject';
export const ORDERINGS: readonly Ordering[] = ['none', 'subject'];

/** What webhook endpoints and queue subscriptions (CONTRACT.md section 8) both have. */
export interface TargetColumns {
  id: string;
  description: string | null;
  event_types: string[] | null;
  /** An EventBridge-style event pattern over the envelope; null: no content filter. */
  filter: object | null;
  ordering: Ordering;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A webhook endpoint (`kind = 'webhook'` in notifications.endpoints). */
export interface EndpointRow extends TargetColumns {
  url: string;
  disabled_reason: string | null;
  /** Sealed (see SecretBox), like `previous_secret`. */
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
}

/** What the API shows of a webhook and of a subscription alike. */
export class TargetView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['transaction.*', 'campaign.#'],
    description: 'null: every event',
  })
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

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  updatedAt: string;

  static fieldsOf(row: TargetColumns): TargetView {
    return {
      id: row.id,
      description: row.description,
      eventTypes: row.event_types,
      filter: row.filter,
      ordering: row.ordering,
      enabled: row.enabled,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

/** A webhook endpoint; its secret appears in full only on creation and rotation. */
export class EndpointView extends TargetView {
  @ApiProperty({ example: 'https://example.com/webhooks' })
  url: string;

  @ApiProperty({ type: String, nullable: true, enum: ['gone', 'failing', null] })
  disabledReason: string | null;

  static of(row: EndpointRow): EndpointView {
    return { ...TargetView.fieldsOf(row), url: row.url, disabledReason: row.disabled_reason };
  }
}

export class EndpointWithSecretView extends EndpointView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown only now: store it' })
  secret: string;

  /** `secret` as the user is to store it: the row holds it sealed. */
  static withSecret(row: EndpointRow, secret: string): EndpointWithSecretView {
    return { ...EndpointView.of(row), secret };
  }
}

export class EndpointPage {
  @ApiProperty({ type: [EndpointView] })
  data: EndpointView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}
