import { isTopicPattern } from '@app/contracts';
import { IsOptionalNotNull } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
} from 'class-validator';

const IsTopicPatterns = () =>
  ValidateBy({
    name: 'isTopicPatterns',
    validator: {
      validate: (value) =>
        Array.isArray(value) && value.every((item) => typeof item === 'string' && isTopicPattern(item)),
      defaultMessage: () => 'eventTypes must be topic patterns such as transaction.created, transaction.* or #',
    },
  });

export class CreateEndpointDto {
  @ApiProperty({ example: 'https://example.com/webhooks', description: 'http(s); private addresses are refused' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['transaction.*'],
    description: 'Topic patterns on event types (* one word, # any). Missing: every event.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsTopicPatterns()
  eventTypes?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null: every event' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsTopicPatterns()
  eventTypes?: string[] | null;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'Re-enabling clears the disabled reason and the failing streak' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}
