/**
 * Whether `JSON.stringify(value)` (compact) would take more than `limit` UTF-8 bytes, found
 * without serialising: the walk has no recursion and stops once the count passes the limit, so a
 * body of a megabyte, or one nested a hundred thousand deep (on which JSON.stringify overflows
 * the stack), costs about `limit` steps to refuse.
 */
export function jsonBytesExceed(value: unknown, limit: number): boolean {
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      // Every character takes at least one byte: no need to encode a string that cannot fit.
      bytes += next.length > limit ? limit + 1 : Buffer.byteLength(JSON.stringify(next));
    } else if (typeof next === 'number') {
      bytes += Number.isFinite(next) ? String(next).length : 4;
    } else if (typeof next === 'boolean') {
      bytes += next ? 4 : 5;
    } else if (Array.isArray(next)) {
      // Brackets and commas first, so a huge array is refused before its items are queued.
      bytes += 2 + Math.max(0, next.length - 1);
      if (bytes > limit) return true;
      for (const item of next as unknown[]) pending.push(item);
    } else if (typeof next === 'object' && next !== null) {
      const keys = Object.keys(next);
      bytes += 2 + Math.max(0, keys.length - 1);
      for (const key of keys) {
        bytes += (key.length > limit ? limit + 1 : Buffer.byteLength(JSON.stringify(key))) + 1;
        if (bytes > limit) return true;
        pending.push((next as Record<string, unknown>)[key]);
      }
    } else {
      bytes += 4; // null (and what JSON.stringify writes as null)
    }
    if (bytes > limit) return true;
  }
  return false;
}
