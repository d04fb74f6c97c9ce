import type { TransactionStatus, TransactionType } from '@app/contracts';

export const TRANSACTION_TYPES: readonly TransactionType[] = ['deposit', 'withdrawal', 'charge', 'refund'];
export const INITIAL_STATUSES: readonly TransactionStatus[] = ['pending', 'completed'];

/** Deposits and refunds add to the balance; withdrawals and charges take from it. */
export function balanceEffect(type: TransactionType, amount: bigint): bigint {
  return type === 'deposit' || type === 'refund' ? amount : -amount;
}

const TRANSITIONS: Record<TransactionStatus, readonly TransactionStatus[]> = {
  pending: ['completed', 'failed'],
  completed: ['reversed'],
  failed: [],
  reversed: [],
};

export function canTransition(from: TransactionStatus, to: TransactionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * How the balance moves when a transaction goes `from` -> `to`: completing applies its effect,
 * reversing a completed one undoes it, failing a pending one changes nothing (a pending debit
 * reserves nothing).
 */
export function balanceDeltaOfTransition(
  type: TransactionType,
  amount: bigint,
  from: TransactionStatus,
  to: TransactionStatus,
): bigint {
  if (from === 'pending' && to === 'completed') return balanceEffect(type, amount);
  if (from === 'completed' && to === 'reversed') return -balanceEffect(type, amount);
  return 0n;
}
