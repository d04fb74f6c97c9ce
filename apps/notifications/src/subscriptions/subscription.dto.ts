import { IsOptionalNotNull, IsRfc3339, RFC3339_MAX_LENGTH } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CreateTargetFields, UpdateTargetFields } from '../endpoints/target-fields.dto';

/**
 * 1 to 100 of `[a-z0-9_.-]` (CONTRACT.md section 8), not ending in `.dlq`: `subscriptions.x.dlq`
 * is the dead-letter queue of the subscription to `x`.
 */
const QUEUE_NAME = /^(?!.*\.dlq$)[a-z0-9_.-]{1,100}$/;

export class CreateSubscriptionDto extends CreateTargetFields {
  @ApiProperty({
    example: 'large-eur-deposits',
    pattern: QUEUE_NAME.source,
    description: 'Events are forwarded to the queue subscriptions.<queue>, which the platform declares and owns',
  })
  @IsString()
  @Matches(QUEUE_NAME, { message: 'queue must be 1 to 100 of a-z, 0-9, _, . or - (and not end in .dlq)' })
  queue: string;
}

export class UpdateSubscriptionDto extends UpdateTargetFields {
  @ApiPropertyOptional({ description: 'false: stop forwarding (the queue stays); true: forward again' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

export class SubscriptionReplayDto {
  @ApiProperty({ example: '2026-01-02T00:00:00Z', maxLength: RFC3339_MAX_LENGTH, description: 'From this time on' })
  @IsRfc3339()
  since: string;

  @ApiPropertyOptional({
    example: '2026-01-03T00:00:00Z',
    maxLength: RFC3339_MAX_LENGTH,
    description: 'Up to (not including) this time',
  })
  @IsOptionalNotNull()
  @IsRfc3339()
  until?: string;
}

export class DeleteSubscriptionQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: also delete the queue and its .dlq, with what they hold',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'deleteQueue must be true or false' })
  deleteQueue?: 'true' | 'false';
}
