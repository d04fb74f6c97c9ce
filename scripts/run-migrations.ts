// Applies one app's pending migrations as a separate step (for DB_MIGRATIONS_RUN=false setups),
// through the same code path the app uses at boot: schema first, then migrations under the lock.
//
//   npm run migration:run -- <app>               from a checkout (ts-node)
//   node dist/apps/<app>/migrate.js               from a build or an image (the Kubernetes migration
//                                                 Job): webpack.config.js bundles this file per app
//                                                 with only that app's data source, named by APP
import { openDataSource } from '@app/persistence';
import type { DataSource } from 'typeorm';

async function main(app: string | undefined): Promise<void> {
  if (!app) throw new Error('name the app: migration:run -- <app> (or set APP)');
  // require, not import(): TypeScript turns import() of a template into require of a variable,
  // which webpack cannot see through; a template literal it narrows to the app it builds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(`../apps/${app}/src/db/data-source`) as { default: DataSource };
  const dataSource = await openDataSource(module.default.options, { runMigrations: true, startupTimeoutMs: 15_000 });
  await dataSource.destroy();
  process.stdout.write(`${app}: migrations are up to date\n`);
}

const app = process.argv[2] ?? process.env.APP;
main(app).catch((error: Error) => {
  process.stderr.write(`${app ?? 'migration:run'}: ${error.message}\n`);
  process.exit(1);
});
