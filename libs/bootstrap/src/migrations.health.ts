import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Not ready while this app's migrations are pending (DB_MIGRATIONS_RUN=false and nobody has run
 * `npm run migration:run` yet). Once all are applied they stay applied, so the answer is cached.
 */
@Injectable()
export class MigrationsHealthIndicator {
  private allApplied = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'migrations') {
    const indicator = this.health.check(key);
    if (!this.allApplied) this.allApplied = !(await this.dataSource.showMigrations());
    return this.allApplied ? indicator.up() : indicator.down({ message: 'migrations are pending' });
  }
}
