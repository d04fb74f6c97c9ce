import { DomainError } from '@app/errors';
import { TRANSACTION_ERRORS } from './transactions.errors';

/** The largest balance the `bigint` column holds. */
export const MAX_BALANCE = 9_223_372_036_854_775_807n;

/** The account as it is locked for a change: its balance and the version of that balance. */
export interface LockedBalance {
  id: string;
  currency: string;
  balance: string;
  balance_version: number;
}

/** A change of an account's balance, worked out on the locked row: what is written and announced. */
export interface BalanceChange {
  accountId: string;
  currency: string;
  delta: bigint;
  /** The balance after the change. */
  balance: bigint;
  /** The balance version after the change: one more than the locked one, so versions have no gaps. */
  version: number;
}

/**
 * Applies `delta` to a locked account, refusing a balance below zero or beyond the column. The row
 * is locked until the transaction ends, so what this works out is what the write will find.
 */
export function balanceChangeOf(account: LockedBalance, delta: bigint): BalanceChange {
  const balance = BigInt(account.balance) + delta;
  if (balance < 0n) {
    throw new DomainError(
      TRANSACTION_ERRORS['insufficient-funds'],
      `Account ${account.id} has ${account.balance} ${account.currency}; this needs ${-delta}`,
    );
  }
  if (balance > MAX_BALANCE) {
    throw new DomainError(
      TRANSACTION_ERRORS['balance-limit-exceeded'],
      `The balance of account ${account.id} would exceed ${MAX_BALANCE}`,
    );
  }
  return { accountId: account.id, currency: account.currency, delta, balance, version: account.balance_version + 1 };
}
