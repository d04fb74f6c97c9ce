import { initSentry } from '@app/observability';

// Imported first by main.ts, as in the real apps: Sentry must be set up before what it instruments loads.
initSentry('probe-app');
