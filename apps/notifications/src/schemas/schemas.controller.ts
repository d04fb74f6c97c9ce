import { eventJsonSchema, eventSchemaSummaries, EventSchemaSummary } from '@app/contracts';
import { ProblemDto } from '@app/dto';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import { ApiCommonErrors } from '@app/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';

class EventSchemaSummaryView implements EventSchemaSummary {
  @ApiProperty({ example: 'transaction.created' })
  type: EventSchemaSummary['type'];

  @ApiProperty({ example: '1' })
  version: string;

  @ApiProperty({ example: '/transactions' })
  source: string;
}

class EventSchemaList {
  @ApiProperty({ type: [EventSchemaSummaryView] })
  data: EventSchemaSummaryView[];
}

/** The schema registry (CONTRACT.md section 8): the event catalogue of libs/contracts, served. */
@ApiTags('schemas')
@ApiCommonErrors()
@Controller('schemas')
export class SchemasController {
  @Get()
  @ApiOkResponse({ type: EventSchemaList })
  list(): EventSchemaList {
    return { data: eventSchemaSummaries() };
  }

  @Get(':type')
  @ApiOkResponse({ description: 'The JSON Schema (draft 2020-12) of the whole envelope, data included' })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@Param('type') type: string): Record<string, unknown> {
    const schema = eventJsonSchema(type);
    if (!schema) throw new DomainError(COMMON_ERRORS['not-found'], `No event type ${type}`);
    return schema;
  }
}
