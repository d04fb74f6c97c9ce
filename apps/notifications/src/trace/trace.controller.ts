import { ProblemDto } from '@app/dto';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { EventTraceService } from './event-trace.service';
import { EventTraceView } from './event-trace.view';

@ApiTags('events')
@ApiCommonErrors()
@Controller('events')
export class TraceController {
  constructor(private readonly traces: EventTraceService) {}

  @Get(':id/trace')
  @ApiOperation({
    summary: 'Where one event has been: committed, published, applied by each consumer, delivered, forwarded',
    description:
      "Built from each service's outbox, inbox and delivery log. A producer that cannot be asked within 2 s is " +
      'listed in `incomplete`, and what it kept is missing from the answer.',
  })
  @ApiOkResponse({ type: EventTraceView })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No service of the platform has seen this event' })
  @ApiServiceUnavailableResponse({
    type: ProblemDto,
    description: 'No service that answered has seen it, and another could not be asked (trace-incomplete)',
  })
  trace(@Param('id', new ParseIdPipe('event')) id: string): Promise<EventTraceView> {
    return this.traces.trace(id);
  }
}
