// Nest CLI webpack settings for every app (nest-cli.json webpackConfigPath), on top of Nest's
// defaults: each app's bundle directory also gets the operator's dead-letter redrive tool,
// dist/apps/<app>/dlq-redrive.js, so an image that runs a consumer can move its parked messages
// back without a checkout: `docker compose exec notifications node dist/apps/notifications/dlq-redrive.js <queue>`.
const path = require('node:path');

module.exports = (defaults) => ({
  ...defaults,
  entry: {
    main: defaults.entry,
    'dlq-redrive': path.join(__dirname, 'libs/messaging/src/dead-letters/dlq-redrive.cli.ts'),
  },
  output: { ...defaults.output, filename: path.join(path.dirname(defaults.output.filename), '[name].js') },
});
