import { IsOptionalNotNull } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ENDPOINT_LIMITS, IsWebhookUrl } from '../endpoints/endpoint-fields';
import { CreateTargetFields, UpdateTargetFields } from '../endpoints/target-fields.dto';

export class CreateEndpointDto extends CreateTargetFields {
  @ApiProperty({
    example: 'https://example.com/webhooks',
    maxLength: ENDPOINT_LIMITS.urlLength,
    description: 'http(s), no whitespace or control characters; private addresses are refused',
  })
  @IsWebhookUrl()
  url: string;
}

export class UpdateEndpointDto extends UpdateTargetFields {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks', maxLength: ENDPOINT_LIMITS.urlLength })
  @IsOptionalNotNull()
  @IsWebhookUrl()
  url?: string;

  @ApiPropertyOptional({ description: 'Re-enabling clears the disabled reason and the failing streak' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}
