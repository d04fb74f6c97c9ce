import { DomainError } from '@app/errors';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PAGING_ERRORS } from './paging.errors';

/**
 * The keyset fields our cursors carry. Each is checked again after the signature, so that even a
 * cursor signed by a leaked key never reaches a query with a value PostgreSQL would refuse (a 500).
 */
const FORMATS = {
  // Milliseconds from a Date, microseconds from PostgreSQL (see KeysetRow in newest-first-page.ts).
  createdAt: (value: string) => isExactTimestamp(value),
  id: (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value),
  // bigint: at most 18 digits stays below 2^63.
  sequence: (value: string) => /^[1-9]\d{0,17}$/.test(value),
} as const;

export type CursorKey = keyof typeof FORMATS;

/** 128 bits of HMAC-SHA256: forging one takes 2^128 guesses, and the cursor stays short. */
const TAG_BYTES = 16;

/**
 * Opaque page cursors (CONTRACT.md section 3): base64url JSON of the keyset position, a dot, and
 * a truncated HMAC-SHA256 of that JSON. A cursor the API did not issue, or one altered after, is
 * refused with 400 `invalid-cursor` before it reaches a query; the key is the app's own (see
 * PageCursors), so only this app's instances can mint them.
 */
export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  encode(position: Partial<Record<CursorKey, string>>): string {
    const payload = Buffer.from(JSON.stringify(position));
    return `${payload.toString('base64url')}.${this.tag(payload).toString('base64url')}`;
  }

  /** The position `cursor` names, with exactly `keys`; a 400 `invalid-cursor` otherwise. */
  decode<K extends CursorKey>(cursor: string, keys: readonly K[]): Record<K, string> {
    const position = this.verified(cursor);
    if (position && hasExactly(position, keys)) return position;
    throw new DomainError(PAGING_ERRORS['invalid-cursor'], 'cursor is not valid', [
      { field: 'cursor', message: 'cursor must be a nextCursor returned by this list, unaltered' },
    ]);
  }

  private verified(cursor: string): Record<string, unknown> | undefined {
    const [payloadText, tagText, ...rest] = cursor.split('.');
    if (rest.length > 0 || tagText === undefined) return undefined;
    const payload = strictBase64Url(payloadText);
    const tag = strictBase64Url(tagText);
    if (!payload || !tag || tag.length !== TAG_BYTES || !timingSafeEqual(tag, this.tag(payload))) return undefined;
    try {
      const value: unknown = JSON.parse(payload.toString('utf8'));
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  private tag(payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, TAG_BYTES);
  }
}

/** Node's decoder skips characters outside the alphabet; a cursor with any is not one we wrote. */
function strictBase64Url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function hasExactly<K extends CursorKey>(
  position: Record<string, unknown>,
  keys: readonly K[],
): position is Record<K, string> {
  const present = Object.keys(position);
  return (
    present.length === keys.length &&
    keys.every((key) => typeof position[key] === 'string' && FORMATS[key](position[key]))
  );
}

/**
 * An RFC 3339 UTC time with 3 or 6 fractional digits that names a real instant exactly (no
 * 30 February, no hour 24) in a year PostgreSQL accepts (it has no year 0).
 */
function isExactTimestamp(value: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(\d{3})?Z$/.exec(value);
  if (!match || match[1].startsWith('0000')) return false;
  const milliseconds = `${match[1]}Z`;
  const date = new Date(milliseconds);
  return !Number.isNaN(date.getTime()) && date.toISOString() === milliseconds;
}
