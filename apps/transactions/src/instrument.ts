import { initSentry } from '@app/observability';

// Imported first by main.ts: Sentry must be set up before the modules it instruments load.
initSentry('transactions');
