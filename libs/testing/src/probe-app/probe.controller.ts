import { DomainError } from '@app/http';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CreateProbeItemDto } from './probe.dto';

/** Routes that exercise the platform's HTTP layer: auth, validation, domain errors, crashes. */
@Controller('probe')
export class ProbeController {
  @Post('items')
  @HttpCode(201)
  create(@Body() body: CreateProbeItemDto): CreateProbeItemDto {
    return body;
  }

  @Get('items/:id')
  find(@Param('id', new ParseUUIDPipe()) id: string): never {
    throw new DomainError('not-found', `No item ${id}`);
  }

  @Get('rule')
  rule(): never {
    throw new DomainError('business-rule-violated', 'The rule says no');
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail');
  }
}
