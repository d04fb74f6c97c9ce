import { Page, toPage } from './page';
import type { PageCursors } from './page-cursors';

export interface KeysetPosition {
  /** Both null on the first page. */
  createdAt: string | null;
  id: string | null;
}

/** A row of such a list: its id and when it was created. */
export interface KeysetRow {
  id: string;
  created_at: Date;
  /**
   * `created_at` to the microsecond (RFC 3339, from PostgreSQL), for rows whose time has more than the millisecond a Date
   * keeps (set by `now()`): a cursor cut to the millisecond would skip the rest of its millisecond.
   */
  created_at_exact?: string;
}

/**
 * One page of a list ordered newest first on (created_at, id). `fetch` runs the query: rows with
 * `(created_at, id) < (position)` when a position is given, ordered `created_at DESC, id DESC`,
 * at most `take` of them. The extra row beyond `limit` only proves a next page exists.
 */
export async function newestFirstPage<Row extends KeysetRow, Item>(
  cursors: PageCursors,
  limit: number,
  cursor: string | undefined,
  fetch: (after: KeysetPosition, take: number) => Promise<Row[]>,
  present: (row: Row) => Item,
): Promise<Page<Item>> {
  const codec = await cursors.get();
  const after = cursor ? codec.decode(cursor, ['createdAt', 'id']) : undefined;
  const rows = await fetch({ createdAt: after?.createdAt ?? null, id: after?.id ?? null }, limit + 1);
  return toPage(rows, limit, present, (row) =>
    codec.encode({ createdAt: row.created_at_exact ?? row.created_at.toISOString(), id: row.id }),
  );
}
