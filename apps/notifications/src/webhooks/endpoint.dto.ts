import { IsOptionalNotNull } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import {
  ENDPOINT_LIMITS,
  IsEventPattern,
  IsEventTypes,
  IsOrdering,
  IsTargetDescription,
  IsWebhookUrl,
} from '../endpoints/endpoint-fields';
import type { Ordering } from '../endpoints/endpoint.view';
import type { EventPattern } from '@app/contracts';
import { FILTER_DESCRIPTION, FILTER_RESET } from '../endpoints/endpoint-fields';

export class CreateEndpointDto {
  @ApiProperty({
    example: 'https://example.com/webhooks',
    maxLength: ENDPOINT_LIMITS.urlLength,
    description: 'http(s), no whitespace or control characters; private addresses are refused',
  })
  @IsWebhookUrl()
  url: string;

  @IsEventTypes({ description: 'Topic patterns on event types (* one word, # any). Missing: every event.' })
  eventTypes?: string[];

  @IsEventPattern({ description: FILTER_DESCRIPTION })
  filter?: EventPattern;

  @IsOrdering()
  ordering?: Ordering;

  @IsTargetDescription()
  description?: string;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks', maxLength: ENDPOINT_LIMITS.urlLength })
  @IsOptionalNotNull()
  @IsWebhookUrl()
  url?: string;

  // null is refused like everywhere the contract does not make it a value (section 3): ["#"] is
  // every event again, "" no description.
  @IsEventTypes({ description: 'Topic patterns on event types (* one word, # any); ["#"]: every event' })
  eventTypes?: string[];

  @IsEventPattern({ description: `${FILTER_DESCRIPTION} ${FILTER_RESET}` })
  filter?: EventPattern;

  @IsOrdering()
  ordering?: Ordering;

  @IsTargetDescription({ description: '"": none' })
  description?: string;

  @ApiPropertyOptional({ description: 'Re-enabling clears the disabled reason and the failing streak' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}
