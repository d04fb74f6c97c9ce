// Applies one app's pending migrations as a separate step (for DB_MIGRATIONS_RUN=false setups),
// through the same code path the app uses at boot: schema first, then migrations under the lock.
//
//   npm run migration:run -- <app>               from a checkout (ts-node)
//   node dist/apps/<app>/migrate.js               from a build or an image (the Kubernetes migration
//                                                 Job): webpack.config.js bundles this file per app
//                                                 with only that app's data source
import { openDataSource } from '@app/persistence';
import type { DataSource } from 'typeorm';

async function main(app: string | undefined): Promise<void> {
  if (!app) throw new Error('name the app: migration:run -- <app>');
  // require, not import(): TypeScript turns import() of a template into require of a variable,
  // which webpack cannot see through; a template literal it narrows to the app it builds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(`../apps/${app}/src/db/data-source`) as { default: DataSource };
  // How long to wait for PostgreSQL, as the apps read it (docs/configuration.md).
  const startupTimeoutMs = Number(process.env.STARTUP_TIMEOUT_MS) > 0 ? Number(process.env.STARTUP_TIMEOUT_MS) : 15_000;
  const dataSource = await openDataSource(module.default.options, { runMigrations: true, startupTimeoutMs });
  await dataSource.destroy();
  process.stdout.write(`${app}: migrations are up to date\n`);
}

// In a bundle, webpack.config.js writes the app's name in place of MIGRATIONS_BUNDLE_APP.
const app = process.argv[2] ?? process.env.MIGRATIONS_BUNDLE_APP;
main(app).catch((error: Error) => {
  process.stderr.write(`${app ?? 'migration:run'}: ${error.message}\n`);
  process.exit(1);
});
