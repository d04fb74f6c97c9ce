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
 * exceptions (class 08), an administrator's shutdown or a start-up under way (57P01, 57P03), too
 * many connections, serialization failures and deadlocks (retrying is the documented remedy),
 * lock not available. Not a crash (57P02): the message may be what crashed the server.
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P03', '53300', '40001', '40P01', '55P03']);

/** Messages of node-postgres (which sets no code) for a connection gone or not had in time. */
const TRANSIENT_PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /has encountered a connection error and is not queryable/,
];

/**
 * Whether a handler's failure came from infrastructure being away, not from the message. An error
 * with a code is judged by its code alone; one without, by node-postgres's connection messages,
 * or by its cause (a wrapped network error).
 */
export function isTransientFailure(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown }; cause?: unknown };
  if (!err || typeof err !== 'object') return false;
  const code = typeof err.driverError?.code === 'string' ? err.driverError.code : err.code;
  if (typeof code === 'string') {
    return TRANSIENT_NETWORK_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
  }
  const message = typeof err.message === 'string' ? err.message : '';
  if (TRANSIENT_PG_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return err.cause !== undefined && err.cause !== error && isTransientFailure(err.cause);
}

/**
 * Thrown by a handler for a message that no retry can fix (it contradicts the contract): it is
 * dead-lettered at once instead of retried.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}
