import { defineErrors } from '@app/errors';

export const SUBSCRIPTION_ERRORS = defineErrors({
  'queue-taken': { kind: 'conflict', title: 'Another subscription already forwards to this queue' },
});
