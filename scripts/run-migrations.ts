// Applies one app's pending migrations as a separate step (for DB_MIGRATIONS_RUN=false setups),
// through the same code path the app uses at boot: schema first, then migrations under the lock.
import { openDataSource } from '@app/persistence';
import type { DataSource } from 'typeorm';

async function main(app: string): Promise<void> {
  const module = (await import(`../apps/${app}/src/db/data-source`)) as { default: DataSource };
  const dataSource = await openDataSource(module.default.options, { runMigrations: true, startupTimeoutMs: 15_000 });
  await dataSource.destroy();
  process.stdout.write(`${app}: migrations are up to date\n`);
}

main(process.argv[2]).catch((error: Error) => {
  process.stderr.write(`${process.argv[2]}: ${error.message}\n`);
  process.exit(1);
});
