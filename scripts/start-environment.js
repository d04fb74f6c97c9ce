// The environment `npm start` gives each app (scripts/start.js), kept apart so that it can be
// tested without starting anything.
const { parseEnv } = require('node:util');

/** The three apps in start order, with the variable that moves each one's port under `npm start`. */
const APPS = [
  { name: 'transactions', portVariable: 'TRANSACTIONS_PORT', defaultPort: 3000 },
  { name: 'ad-engine', portVariable: 'AD_ENGINE_PORT', defaultPort: 3001 },
  { name: 'notifications', portVariable: 'NOTIFICATIONS_PORT', defaultPort: 3002 },
];

/**
 * The variables every app starts with: those of `.env` (its text, or undefined when there is
 * none), overridden by the real environment, so that `LOG_LEVEL=debug npm start` wins over the
 * file. `dev` (npm run start:dev) lets webhooks target private addresses such as a receiver on
 * localhost, which production refuses.
 */
function sharedEnvironment(dotEnvText, processEnv, { dev = false } = {}) {
  const fromFile = dotEnvText === undefined ? {} : parseEnv(dotEnvText);
  const env = { ...fromFile, ...processEnv };
  if (dev) env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
  const portOf = (app) => env[app.portVariable] || String(app.defaultPort);
  // Where ad-engine and notifications reach the other apps, unless set: the ports chosen here.
  env.TRANSACTIONS_URL ??= `http://localhost:${portOf(APPS[0])}`;
  env.AD_ENGINE_URL ??= `http://localhost:${portOf(APPS[1])}`;
  return { env, ports: Object.fromEntries(APPS.map((app) => [app.name, Number(portOf(app))])) };
}

/**
 * One app's own environment: the shared one with its PORT. A PORT in the shared environment would
 * put all three apps on one port, so it is dropped (the caller warns).
 */
function appEnvironment(shared, app) {
  const { PORT: _ignored, ...env } = shared.env;
  return { ...env, PORT: String(shared.ports[app.name]) };
}

module.exports = { APPS, sharedEnvironment, appEnvironment };
