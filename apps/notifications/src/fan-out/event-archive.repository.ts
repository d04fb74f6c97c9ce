import type { EventEnvelope } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Every platform event notifications has received: what replay re-sends. */
@Injectable()
export class EventArchiveRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(manager: EntityManager, event: EventEnvelope): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
       VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`,
      [event.id, event.type, event.time, JSON.stringify(event)],
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
