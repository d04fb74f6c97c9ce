import { defineErrors } from '@app/errors';

export const PAGING_ERRORS = defineErrors({
  'invalid-cursor': { kind: 'invalid', title: 'The cursor was not issued by this list' },
});
