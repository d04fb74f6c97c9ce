export const PROBE_EXCHANGE = 'probe.events';
export const PROBE_QUEUE = 'probe-app.probes';
/** The probe app's `main.ts`, to run it as its own process with spawnApp. */
export const PROBE_APP_MAIN = `${__dirname}/main.ts`;
