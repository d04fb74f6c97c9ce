import { StartupError } from '@app/config';
import { createTestEnvironment, TestEnvironment } from '@app/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { buildDataSourceOptions, openDataSource } from '../src';

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    // Not idempotent on purpose: a second concurrent run would fail if the lock did not hold.
    await runner.query(`CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL)`);
    await runner.query(`SELECT pg_sleep(0.3)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE widgets`);
  }
}

const options = (environment: TestEnvironment, url = environment.databaseUrl) =>
  buildDataSourceOptions({
    appName: 'persistence-test',
    url,
    schema: 'widgets_app',
    entities: [],
    migrations: [CreateWidgets1700000000000],
  });

describe('openDataSource', () => {
  let environment: TestEnvironment;

  beforeEach(async () => {
    environment = await createTestEnvironment();
  });

  afterEach(async () => {
    await environment.teardown();
  });

  it('creates the schema and applies pending migrations inside it', async () => {
    const dataSource = await openDataSource(options(environment), { runMigrations: true, startupTimeoutMs: 5_000 });
    try {
      const tables = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'widgets_app' ORDER BY table_name`,
      );
      expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(['migrations', 'widgets']);
    } finally {
      await dataSource.destroy();
    }
  });

  it('lets replicas start together: the advisory lock makes them apply each migration once', async () => {
    const sources = await Promise.all(
      [1, 2, 3].map(() => openDataSource(options(environment), { runMigrations: true, startupTimeoutMs: 5_000 })),
    );
    try {
      const applied = await sources[0].query(`SELECT name FROM widgets_app.migrations`);
      expect(applied).toEqual([{ name: 'CreateWidgets1700000000000' }]);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });

  it('leaves migrations alone when told to (DB_MIGRATIONS_RUN=false)', async () => {
    const dataSource = await openDataSource(options(environment), { runMigrations: false, startupTimeoutMs: 5_000 });
    try {
      expect(await dataSource.showMigrations()).toBe(true); // pending
      const [{ exists }] = await dataSource.query(`SELECT to_regclass('widgets_app.widgets') IS NOT NULL AS exists`);
      expect(exists).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('fails with a StartupError naming DATABASE_URL, without the password, for an unknown database', async () => {
    const url = new URL(environment.databaseUrl);
    url.pathname = '/no_such_database_here';
    url.password = 'hunter2';
    const attempt = openDataSource(options(environment, url.toString()), {
      runMigrations: true,
      startupTimeoutMs: 5_000,
    });
    await expect(attempt).rejects.toBeInstanceOf(StartupError);
    await expect(attempt).rejects.toThrow(/^DATABASE_URL: cannot connect to PostgreSQL .*no_such_database_here/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
