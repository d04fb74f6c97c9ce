import { COMMON_ERRORS, DomainError } from '@app/errors';
import { createHash } from 'node:crypto';

/** An `Idempotency-Key` as scoped to the caller, with the fingerprint of the request it came with. */
export interface IdempotencyKey {
  scope: string;
  key: string;
  requestHash: string;
  /** Where the request went: a stored problem names it as its `instance`, as the live one did. */
  path: string;
}

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** JSON with object keys sorted, so that bodies equal as parsed JSON hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Reads the header into a key scoped to the API key that sent it (or to the open API), or
 * undefined when the request has none.
 */
export function idempotencyKeyOf(
  header: string | undefined,
  scope: string,
  method: string,
  path: string,
  body: unknown,
): IdempotencyKey | undefined {
  if (header === undefined) return undefined;
  if (header.length === 0 || header.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new DomainError(
      COMMON_ERRORS['validation-failed'],
      `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      [{ field: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` }],
    );
  }
  const requestHash = createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
  return { scope, key: header, requestHash, path };
}
