/** Header carrying how many times a message has already failed and been retried. */
export const RETRY_COUNT_HEADER = 'x-retry-count';
export const LAST_ERROR_HEADER = 'x-last-error';

/** `<queue>.retry.<delay>`: named by its delay, so changing the schedule never redeclares a queue. */
export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${delayMs}ms`;

export type FailureDecision = { action: 'retry'; delayMs: number; attempt: number } | { action: 'dead-letter' };

/**
 * After a handler failure: retry after the next delay of the schedule, or dead-letter once the
 * schedule is used up. `previousRetries` comes from the message's retry-count header.
 */
export function decideAfterFailure(previousRetries: unknown, delaysMs: readonly number[]): FailureDecision {
  const retries =
    typeof previousRetries === 'number' && Number.isInteger(previousRetries) && previousRetries > 0
      ? previousRetries
      : 0;
  if (retries >= delaysMs.length) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: delaysMs[retries], attempt: retries + 1 };
}

/**
 * Thrown by a handler for a message that no retry can fix (it contradicts the contract): it is
 * dead-lettered at once instead of retried.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}
