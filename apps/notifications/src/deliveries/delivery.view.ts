import { ApiProperty } from '@nestjs/swagger';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'dead';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  envelope: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface AttemptRow {
  id: string;
  attempted_at: Date;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  endpointId: string;

  @ApiProperty({ description: 'The event id, sent as webhook-id on every attempt' })
  eventId: string;

  @ApiProperty({ example: 'transaction.created' })
  eventType: string;

  @ApiProperty({
    enum: ['pending', 'succeeded', 'failed', 'dead'],
    description:
      'pending: not tried yet; failed: the last attempt failed and another is scheduled; dead: no attempt left',
  })
  status: DeliveryStatus;

  @ApiProperty()
  attempts: number;

  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ type: String, nullable: true })
  nextAttemptAt: string | null;

  @ApiProperty()
  createdAt: string;

  static of(row: DeliveryRow): DeliveryView {
    return {
      id: row.id,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
      eventType: row.event_type,
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      nextAttemptAt:
        row.status === 'pending' || row.status === 'failed' ? (row.next_attempt_at?.toISOString() ?? null) : null,
      createdAt: row.created_at.toISOString(),
    };
  }
}

export class AttemptView {
  @ApiProperty()
  attemptedAt: string;

  @ApiProperty({ type: Number, nullable: true })
  statusCode: number | null;

  @ApiProperty()
  durationMs: number;

  @ApiProperty({ type: String, nullable: true })
  error: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'At most 4 KiB of the response body' })
  responseExcerpt: string | null;

  static of(row: AttemptRow): AttemptView {
    return {
      attemptedAt: row.attempted_at.toISOString(),
      statusCode: row.status_code,
      durationMs: row.duration_ms,
      error: row.error,
      responseExcerpt: row.response_excerpt,
    };
  }
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] })
  data: DeliveryView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class AttemptPage {
  @ApiProperty({ type: [AttemptView], description: 'Oldest first' })
  data: AttemptView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
