import { DomainError } from '@app/http';

/** Opaque page cursors: base64url JSON of the keyset position; tampered ones get a clear 400. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The keyset fields our cursors carry, each checked before it reaches a query. */
const FORMATS = {
  // Milliseconds from a Date, microseconds from PostgreSQL (see KeysetRow in @app/persistence).
  createdAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/,
  id: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  sequence: /^[1-9]\d{0,17}$/,
} as const;

export type CursorKey = keyof typeof FORMATS;

export function decodeCursor<K extends CursorKey>(cursor: string, keys: readonly K[]): Record<K, string> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const fields = keys.map((key) => [key, String(value[key])] as const);
    const valid = fields.every(
      ([key, field]) => ['string', 'number'].includes(typeof value[key]) && FORMATS[key].test(field),
    );
    if (valid && fields.every(([key, field]) => key !== 'createdAt' || !Number.isNaN(Date.parse(field)))) {
      return Object.fromEntries(fields) as Record<K, string>;
    }
  } catch {
    // fall through to the 400 below
  }
  throw new DomainError('validation-failed', 'cursor is not valid', [
    { field: 'cursor', message: 'cursor must be a nextCursor returned by this list' },
  ]);
}
