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

  async since(time: Date): Promise<EventEnvelope[]> {
    const rows = await this.dataSource.query<{ envelope: EventEnvelope }[]>(
      `SELECT envelope FROM notifications.event_archive WHERE occurred_at >= $1 ORDER BY occurred_at, event_id`,
      [time],
    );
    return rows.map((row) => row.envelope);
  }
}
