import { decodeCursor, encodeCursor, Page, toPage } from '@app/dto';

export interface KeysetPosition {
  /** Both null on the first page. */
  createdAt: string | null;
  id: string | null;
}

/**
 * One page of a list ordered newest first on (created_at, id). `fetch` runs the query: rows with
 * `(created_at, id) < (position)` when a position is given, ordered `created_at DESC, id DESC`,
 * at most `take` of them. The extra row beyond `limit` only proves a next page exists.
 */
export async function newestFirstPage<Row extends { id: string; created_at: Date }, Item>(
  limit: number,
  cursor: string | undefined,
  fetch: (after: KeysetPosition, take: number) => Promise<Row[]>,
  present: (row: Row) => Item,
): Promise<Page<Item>> {
  const after = cursor ? decodeCursor(cursor, ['createdAt', 'id']) : undefined;
  const rows = await fetch({ createdAt: after?.createdAt ?? null, id: after?.id ?? null }, limit + 1);
  return toPage(rows, limit, present, (row) => encodeCursor({ createdAt: row.created_at.toISOString(), id: row.id }));
}
