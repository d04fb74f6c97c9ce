import { DomainError } from '@app/http';

/** Opaque page cursors: base64url JSON of the keyset position; tampered ones get a clear 400. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (keys.every((key) => typeof value[key] === 'string' || typeof value[key] === 'number')) {
      return Object.fromEntries(keys.map((key) => [key, String(value[key])])) as Record<K, string>;
    }
  } catch {
    // fall through to the 400 below
  }
  throw new DomainError('validation-failed', 'cursor is not valid', [
    { field: 'cursor', message: 'cursor must be a nextCursor returned by this list' },
  ]);
}
