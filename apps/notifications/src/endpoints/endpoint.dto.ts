import { IsOptionalNotNull } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { ENDPOINT_LIMITS, IsEventTypes, IsWebhookUrl } from './endpoint-fields';

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

  @ApiPropertyOptional({ maxLength: ENDPOINT_LIMITS.descriptionLength })
  @IsOptional()
  @IsString()
  @MaxLength(ENDPOINT_LIMITS.descriptionLength)
  description?: string;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks', maxLength: ENDPOINT_LIMITS.urlLength })
  @IsOptionalNotNull()
  @IsWebhookUrl()
  url?: string;

  @IsEventTypes({ nullable: true, description: 'null: every event' })
  eventTypes?: string[] | null;

  @ApiPropertyOptional({ maxLength: ENDPOINT_LIMITS.descriptionLength, nullable: true, description: 'null: none' })
  @IsOptional()
  @IsString()
  @MaxLength(ENDPOINT_LIMITS.descriptionLength)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Re-enabling clears the disabled reason and the failing streak' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}
