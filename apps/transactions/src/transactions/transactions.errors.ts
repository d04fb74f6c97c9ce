import { defineErrors } from '@app/errors';

/** What the ledger refuses: the rules a transaction and its account's balance must keep. */
export const TRANSACTION_ERRORS = defineErrors({
  'currency-mismatch': { kind: 'rule-violated', title: "The currency is not the account's currency" },
  'insufficient-funds': { kind: 'rule-violated', title: 'The balance would go below zero' },
  'balance-limit-exceeded': { kind: 'rule-violated', title: 'The balance would exceed its maximum' },
  'invalid-transition': { kind: 'conflict', title: 'The status cannot change this way' },
});
