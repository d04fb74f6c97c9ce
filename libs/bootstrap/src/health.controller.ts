import { Public } from '@app/http';
import { RabbitMqHealthIndicator } from '@app/messaging';
import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { MigrationsHealthIndicator } from './migrations.health';
import { APP_READINESS_CHECK, ReadinessCheck } from './readiness-check';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly broker: RabbitMqHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    @Optional() @Inject(APP_READINESS_CHECK) private readonly appCheck?: ReadinessCheck,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up and its event loop answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Database reachable with its migrations applied, and RabbitMQ topology declared' })
  @ApiOkResponse({ schema: { example: { status: 'ok', details: { database: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down: the same report, with status "error" and `details` saying which',
    schema: { example: { status: 'error', details: { database: { status: 'down' } } } },
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2_000 }),
        () => this.migrations.check('migrations'),
        () => this.broker.check('rabbitmq'),
        ...(this.appCheck ? [() => (this.appCheck as ReadinessCheck).check()] : []),
      ]);
    } catch (error) {
      // Terminus throws a 503 whose body is the per-check report; answer with that report as is.
      const report = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!report) throw error;
      response.status(503);
      return report;
    }
  }
}
