import { ProblemDto } from '@app/dto';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventRecordView } from './event-record.view';
import { EventRecords } from './event-records';

/**
 * GET /events/:id/record: what this app keeps of one event (outbox row, inbox entries), for
 * notifications to assemble GET /events/:id/trace from. An app that produces or consumes events
 * lists it among its controllers; authenticated like every API route.
 */
@ApiTags('events')
@ApiCommonErrors()
@Controller('events')
export class EventRecordController {
  constructor(private readonly records: EventRecords) {}

  @Get(':id/record')
  @ApiOperation({
    summary:
      "What this service keeps of one event: its outbox row (if it produced it) and its consumers' inbox entries",
  })
  @ApiOkResponse({ type: EventRecordView })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'This service has no trace of the event' })
  async get(@Param('id', new ParseIdPipe('event')) id: string): Promise<EventRecordView> {
    const record = await this.records.find(id);
    if (!record) throw new DomainError(COMMON_ERRORS['not-found'], `This service has no trace of event ${id}`);
    return record;
  }
}
