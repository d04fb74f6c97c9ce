/**
 * dist/apps/<app>/migrate.js, the command of the Kubernetes migration Jobs (webpack.config.js bundles
 * scripts/run-migrations.ts with the app's own data source): on a fresh database it applies every
 * migration of that app and exits 0, again it finds nothing to do, and when it cannot reach the
 * database it exits 1 with one line. Needs the built apps (`npm run build`, as .ci/run does first).
 */
import { createTestEnvironment, TestEnvironment } from '@app/testing';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adEnginePersistence } from '../apps/ad-engine/src/db/persistence';
import { notificationsPersistence } from '../apps/notifications/src/db/persistence';
import { transactionsPersistence } from '../apps/transactions/src/db/persistence';

const ROOT = path.resolve(__dirname, '..');

function migrate(app: string, databaseUrl: string, extraEnv: Record<string, string> = {}) {
  const bundle = path.join(ROOT, 'dist', 'apps', app, 'migrate.js');
  if (!existsSync(bundle)) throw new Error(`${path.relative(ROOT, bundle)} is missing: run \`npm run build\` first`);
  return spawnSync(process.execPath, [bundle], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe.each([
  ['transactions', transactionsPersistence],
  ['ad-engine', adEnginePersistence],
  ['notifications', notificationsPersistence],
] as const)('dist/apps/%s/migrate.js', (app, persistence) => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await environment?.teardown();
  });

  async function appliedMigrations(): Promise<string[]> {
    const client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ name: string }>(
        `SELECT name FROM "${persistence.schema}".migrations ORDER BY id`,
      );
      return result.rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  }

  it("applies every one of the app's migrations to a fresh database, then finds nothing left to do", async () => {
    const first = migrate(app, environment.databaseUrl);
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    expect(first.stdout).toContain(`${app}: migrations are up to date`);
    const expected = (persistence.migrations as { name: string }[]).map((migration) => migration.name);
    expect(await appliedMigrations()).toEqual(expected);

    const again = migrate(app, environment.databaseUrl);
    expect(again.status).toBe(0);
    expect(await appliedMigrations()).toEqual(expected);
  });

  it('exits 1 with one line when the database cannot be reached in STARTUP_TIMEOUT_MS', () => {
    const result = migrate(app, 'postgres://postgres:postgres@127.0.0.1:1/postgres', { STARTUP_TIMEOUT_MS: '1000' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${app}: `))]);
  });
});
