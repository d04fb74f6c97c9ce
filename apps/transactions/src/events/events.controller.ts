import type { EventEnvelope } from '@app/contracts';
import { IsRfc3339, PageQueryDto } from '@app/dto';
import { EventArchive } from '@app/messaging';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ListEventsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'transaction.created', description: 'Only events of this type' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({
    example: '2026-01-02T00:00:00Z',
    description: 'Only events whose time is after this (exclusive)',
  })
  @IsOptional()
  @IsRfc3339()
  after?: string;
}

@ApiTags('events')
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
  @ApiOkResponse({ description: '{ data: CloudEvent[], nextCursor }' })
  list(@Query() query: ListEventsQuery): Promise<{ data: EventEnvelope[]; nextCursor: string | null }> {
    return this.archive.list({
      type: query.type,
      after: query.after ? new Date(query.after) : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
  }
}
