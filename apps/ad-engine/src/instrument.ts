import { initTracing } from '@app/observability';

// Imported first by main.ts: Sentry and OpenTelemetry must be set up before the modules they
// instrument load.
initTracing('ad-engine');
