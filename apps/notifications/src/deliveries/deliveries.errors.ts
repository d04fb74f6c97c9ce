import { defineErrors } from '@app/errors';

export const DELIVERY_ERRORS = defineErrors({
  'endpoint-disabled': { kind: 'rule-violated', title: 'The webhook endpoint is disabled' },
});
