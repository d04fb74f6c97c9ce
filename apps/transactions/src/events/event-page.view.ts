import { EventEnvelope, EXCHANGES, openApiEnvelopeSchema } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';

/** A page of GET /events: the envelopes as they went to RabbitMQ, each with its `sequence`. */
export class EventPage {
  @ApiProperty({
    type: 'array',
    items: openApiEnvelopeSchema(EXCHANGES.transactions),
    description: 'CloudEvents 1.0 envelopes, oldest first in publish order',
  })
  data: EventEnvelope[];

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
