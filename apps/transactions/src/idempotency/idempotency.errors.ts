import { defineErrors } from '@app/errors';

/** Answers about an Idempotency-Key itself, never stored as the answer to replay for it. */
export const IDEMPOTENCY_ERRORS = defineErrors({
  'idempotency-key-in-use': { kind: 'conflict', title: 'A request with this Idempotency-Key is still executing' },
  'idempotency-key-reused': {
    kind: 'rule-violated',
    title: 'This Idempotency-Key was used with a different request body',
  },
});
