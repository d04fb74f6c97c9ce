import { redactUrl, StartupError } from '@app/config';
import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';

const logger = new Logger('Database');

export interface OpenDataSourceOptions {
  runMigrations: boolean;
  startupTimeoutMs: number;
}

/**
 * Connects (retrying until the start-up timeout, so a database that is still booting is waited
 * for), creates the app's schema, and applies pending migrations under an advisory lock so that
 * replicas starting together do not race. TypeORM creates neither the schema nor the lock.
 */
export async function openDataSource(options: DataSourceOptions, open: OpenDataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await connectWithRetry(dataSource, options, open.startupTimeoutMs);
  const schema = (options as { schema?: string }).schema ?? 'public';
  await prepareSchema(dataSource, schema, open.runMigrations);
  return dataSource;
}

/**
 * Creates the schema and applies migrations while holding a session advisory lock keyed by the
 * schema: concurrent `CREATE SCHEMA IF NOT EXISTS` and concurrent migration runs both race.
 */
async function prepareSchema(dataSource: DataSource, schema: string, runMigrations: boolean): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    if (!runMigrations) return;
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.log(`applied migration ${migration.name}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

async function connectWithRetry(dataSource: DataSource, options: DataSourceOptions, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await dataSource.initialize();
      return;
    } catch (error) {
      const reason = describe(error);
      if (Date.now() >= deadline || isPermanent(error)) {
        const url = (options as { url?: string }).url ?? '';
        throw new StartupError('DATABASE_URL', `cannot connect to PostgreSQL at ${redactUrl(url)} (${reason})`);
      }
      logger.warn(`PostgreSQL not reachable yet (${reason}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

// Wrong password, unknown database or role: waiting will not fix these.
const PERMANENT_PG_CODES = new Set(['28P01', '28000', '3D000']);

function isPermanent(error: unknown): boolean {
  return PERMANENT_PG_CODES.has((error as { code?: string }).code ?? '');
}

function describe(error: unknown): string {
  const err = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = err.code ?? err.errors?.[0]?.code;
  return [code, err.message].filter(Boolean).join(': ') || String(error);
}
