import { defineErrors } from '@app/errors';

export const TRACE_ERRORS = defineErrors({
  // No app that answered knows the event, and one could not be asked: it may know it.
  'trace-incomplete': { kind: 'unavailable', title: 'Not every service could be asked about this event' },
});
