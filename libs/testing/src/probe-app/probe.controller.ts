import { COMMON_ERRORS, DomainError } from '@app/errors';
import { ParseIdPipe } from '@app/http';
import { OutboxWriter } from '@app/messaging';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CreateProbeItemDto, RecordProbeChangesDto } from './probe.dto';

/** Routes that exercise the platform's HTTP layer and the outbox. */
@Controller('probe')
export class ProbeController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  @Post('items')
  @HttpCode(201)
  create(@Body() body: CreateProbeItemDto): CreateProbeItemDto {
    return body;
  }

  /**
   * Writes `count` rows of an aggregate and one `probe.changed` event per row in one transaction;
   * with `rollback=true` the transaction fails after writing them.
   */
  @Post('changes')
  @HttpCode(201)
  async record(@Body() body: RecordProbeChangesDto, @Query('rollback') rollback?: string): Promise<{ ids: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      // Lock the aggregate so its events enter the outbox in the order its changes commit.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [body.aggregate]);
      const ids = Array.from({ length: body.count }, () => randomUUID());
      for (const id of ids) {
        await manager.query('INSERT INTO probe.items (id, name, aggregate) VALUES ($1, $2, $3)', [
          id,
          'item',
          body.aggregate,
        ]);
      }
      const events = await this.outbox.append(
        manager,
        ids.map((id, index) => ({ type: 'probe.changed', subject: body.aggregate, data: { itemId: id, index } })),
      );
      if (rollback === 'true') throw new DomainError(COMMON_ERRORS['business-rule-violated'], 'rolled back on purpose');
      return { ids: events.map((event) => event.id) };
    });
  }

  @Get('items/:id')
  find(@Param('id', new ParseIdPipe('item')) id: string): never {
    throw new DomainError(COMMON_ERRORS['not-found'], `No item ${id}`);
  }

  @Get('rule')
  rule(): never {
    throw new DomainError(COMMON_ERRORS['business-rule-violated'], 'The rule says no');
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail');
  }

  /** A 500 for a request with a body (what Sentry must not be sent). */
  @Post('boom')
  boomWithBody(@Body() _body: Record<string, unknown>): never {
    throw new Error('secret internal detail');
  }
}
