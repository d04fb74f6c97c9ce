/** Header carrying how many times a message has already failed and been retried. */
export const RETRY_COUNT_HEADER = 'x-retry-count';
export const LAST_ERROR_HEADER = 'x-last-error';

/** `<queue>.retry.<delay>`: named by its delay, so changing the schedule never redeclares a queue. */
export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${delayMs}ms`;

export type FailureDecision = { action: 'retry'; delayMs: number; attempt: number } | { action: 'dead-letter' };

/**
 * After a handler failure: retry after the next delay of the schedule, or dead-letter once the
 * schedule is used up. `previousRetries` comes from the message's retry-count header. A transient
 * failure (the database or the network was away) says nothing about the message, so it is never
 * dead-lettered: it keeps being retried at the schedule's last delay until the outage is over.
 */
export function decideAfterFailure(
  previousRetries: unknown,
  delaysMs: readonly number[],
  transient = false,
): FailureDecision {
  const retries =
    typeof previousRetries === 'number' && Number.isInteger(previousRetries) && previousRetries > 0
      ? previousRetries
      : 0;
  if (delaysMs.length === 0) return { action: 'dead-letter' };
  if (retries >= delaysMs.length) {
    return transient
      ? { action: 'retry', delayMs: delaysMs[delaysMs.length - 1], attempt: retries + 1 }
      : { action: 'dead-letter' };
  }
  return { action: 'retry', delayMs: delaysMs[retries], attempt: retries + 1 };
}

/** Network error codes of a peer (database, broker, service) that is away for now. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that are about the server's state, not the statement: connection
 * exceptions (class 08), shutting down or starting up (57P01-57P03), too many connections,
 * serialization failures and deadlocks (retrying is the documented remedy), lock not available.
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03']);

/** Messages of node-postgres for a connection that went away or could not be had in time. */
const TRANSIENT_PG_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /connection error/i,
];

/** Whether a handler's failure came from infrastructure being away, not from the message. */
export function isTransientFailure(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown }; cause?: unknown };
  if (!err || typeof err !== 'object') return false;
  const code = typeof err.driverError?.code === 'string' ? err.driverError.code : err.code;
  if (typeof code === 'string') {
    if (TRANSIENT_NETWORK_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof err.message === 'string' && TRANSIENT_PG_MESSAGES.some((pattern) => pattern.test(err.message as string))) {
    return true;
  }
  return err.cause !== undefined && err.cause !== error && isTransientFailure(err.cause);
}

/**
 * Thrown by a handler for a message that no retry can fix (it contradicts the contract): it is
 * dead-lettered at once instead of retried.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}
