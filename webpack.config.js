// Nest CLI webpack settings for every app (nest-cli.json webpackConfigPath), on top of Nest's
// defaults. Beside main.js each app's bundle directory gets the operator's tools, so an image can
// run them without a checkout:
// - dlq-redrive.js moves parked messages back:
//   `docker compose exec notifications node dist/apps/notifications/dlq-redrive.js <queue>`;
// - migrate.js applies the app's pending migrations and exits (the Kubernetes migration Job, for
//   apps that run with DB_MIGRATIONS_RUN=false): scripts/run-migrations.ts, with only this app's
//   data source in it.
const path = require('node:path');

module.exports = (defaults, webpack) => {
  // defaults.entry is apps/<app>/src/main.ts of the app being built.
  const app = path.basename(path.dirname(path.dirname(defaults.entry)));
  return {
    ...defaults,
    entry: {
      main: defaults.entry,
      'dlq-redrive': path.join(__dirname, 'libs/messaging/src/dead-letters/dlq-redrive.cli.ts'),
      migrate: path.join(__dirname, 'scripts/run-migrations.ts'),
    },
    output: { ...defaults.output, filename: path.join(path.dirname(defaults.output.filename), '[name].js') },
    plugins: [
      ...defaults.plugins,
      // run-migrations.ts loads `../apps/${app}/src/db/data-source`; without this webpack would
      // bundle every app's data source (and entities) into every app's migrate.js.
      new webpack.ContextReplacementPlugin(/[\\/]apps$/, new RegExp(`^\\./${app}/src/db/data-source$`)),
      // ... and knows which app it migrates without being told (the Job runs it with no argument).
      new webpack.DefinePlugin({ 'process.env.MIGRATIONS_BUNDLE_APP': JSON.stringify(app) }),
    ],
  };
};
