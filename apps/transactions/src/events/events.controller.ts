import type { EventEnvelope } from '@app/contracts';
import { IsRfc3339, PageQueryDto, RFC3339_MAX_LENGTH } from '@app/dto';
import { ApiCommonErrors } from '@app/http';
import { EventArchive } from '@app/messaging';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EventPage } from './event-page.view';

export class ListEventsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'transaction.created', maxLength: 100, description: 'Only events of this type' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({
    example: '2026-01-02T00:00:00Z',
    maxLength: RFC3339_MAX_LENGTH,
    description: 'Only events whose time is after this (exclusive)',
  })
  @IsOptional()
  @IsRfc3339()
  after?: string;

  // Readers that keep the last sequence they applied resume here; they cannot build a cursor.
  @ApiPropertyOptional({
    name: 'after_sequence',
    example: '42',
    pattern: '^(0|[1-9][0-9]{0,17})$',
    maxLength: 18,
    description: 'Only events whose sequence is above this (exclusive), as a decimal string',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(0|[1-9]\d{0,17})$/, { message: 'after_sequence must be a decimal integer of at most 18 digits' })
  after_sequence?: string;
}

@ApiTags('events')
@ApiCommonErrors()
@Controller('events')
export class EventsController {
  constructor(private readonly archive: EventArchive) {}

  @Get()
  @ApiOperation({
    summary: 'Every event this service published, oldest first in publish order',
    description:
      'The same CloudEvents envelopes that went to RabbitMQ, each with `sequence` (publish order). ' +
      'Page with `cursor`: an event that committed late is published, and numbered, after your cursor.',
  })
  @ApiOkResponse({ type: EventPage })
  list(@Query() query: ListEventsQuery): Promise<{ data: EventEnvelope[]; nextCursor: string | null }> {
    return this.archive.list({
      type: query.type,
      after: query.after ? new Date(query.after) : undefined,
      afterSequence: query.after_sequence,
      limit: query.limit,
      cursor: query.cursor,
    });
  }
}
