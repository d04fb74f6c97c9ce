export const PROBE_EXCHANGE = 'probe.events';
export const PROBE_QUEUE = 'probe-app.probes';
