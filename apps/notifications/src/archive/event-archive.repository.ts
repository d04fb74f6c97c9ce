import type { EventEnvelope } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Every platform event notifications has received: what replay re-sends. */
@Injectable()
export class EventArchiveRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
       SELECT e.envelope->>'id', e.envelope->>'type', (e.envelope->>'time')::timestamptz, e.envelope
       FROM jsonb_array_elements($1::jsonb) AS e(envelope)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(events)],
    );
  }

  /** Forgets events older than the retention (EVENT_RETENTION). */
  async prune(retentionMs: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM notifications.event_archive WHERE occurred_at < now() - make_interval(secs => $1)`,
      [retentionMs / 1000],
    );
  }

  /**
   * Archived events at or after `since` and before `until` when given (RFC 3339, compared to the
   * microsecond by PostgreSQL), in pages of `pageSize` ordered by time: `after` is the previous
   * page's `next`, which is absent once a page comes back short (the last one).
   */
  async page(
    { since, until }: { since: string; until?: string },
    pageSize: number,
    after?: { occurredAt: string; eventId: string },
  ): Promise<{ events: EventEnvelope[]; next?: { occurredAt: string; eventId: string } }> {
    const rows = await this.dataSource.query<{ envelope: EventEnvelope; occurred_at: string; event_id: string }[]>(
      `SELECT envelope, occurred_at::text AS occurred_at, event_id FROM notifications.event_archive
       WHERE occurred_at >= $1::timestamptz AND ($5::timestamptz IS NULL OR occurred_at < $5::timestamptz)
         AND ($2::timestamptz IS NULL OR (occurred_at, event_id) > ($2::timestamptz, $3::text))
       ORDER BY occurred_at, event_id LIMIT $4`,
      [since, after?.occurredAt ?? null, after?.eventId ?? null, pageSize, until ?? null],
    );
    const last = rows.at(-1);
    return {
      events: rows.map((row) => row.envelope),
      next: last && rows.length === pageSize ? { occurredAt: last.occurred_at, eventId: last.event_id } : undefined,
    };
  }
}
