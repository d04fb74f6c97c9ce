import { newestFirstPage, Page, PageCursors } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SubscriptionRow, SubscriptionView } from './subscription.view';

const COLUMNS = 'id, queue, description, event_types, filter, ordering, enabled, created_at, updated_at';

/** The fields a subscription's owner may change. */
export type SubscriptionChange = Partial<
  Pick<SubscriptionRow, 'description' | 'event_types' | 'filter' | 'ordering' | 'enabled'>
>;

/** Subscriptions: the `kind = 'queue'` rows of notifications.endpoints (see the migration QueueTargetsAndOrdering). */
@Injectable()
export class SubscriptionsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
  ) {}

  /** Answers undefined when another subscription already has the queue. */
  async insert(
    row: Pick<SubscriptionRow, 'id' | 'queue' | 'description' | 'event_types' | 'filter' | 'ordering'>,
  ): Promise<SubscriptionRow | undefined> {
    const [inserted] = await this.dataSource.query<SubscriptionRow[]>(
      `INSERT INTO notifications.endpoints (id, kind, queue, description, event_types, filter, ordering, created_at, updated_at)
       VALUES ($1, 'queue', $2, $3, $4, $5, $6, date_trunc('milliseconds', now()), date_trunc('milliseconds', now()))
       ON CONFLICT (queue) WHERE queue IS NOT NULL DO NOTHING RETURNING ${COLUMNS}`,
      [row.id, row.queue, row.description, row.event_types, row.filter, row.ordering],
    );
    return inserted;
  }

  async find(id: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.dataSource.query<SubscriptionRow[]>(
      `SELECT ${COLUMNS} FROM notifications.endpoints WHERE id = $1 AND kind = 'queue'`,
      [id],
    );
    return row;
  }

  async update(manager: EntityManager, id: string, change: SubscriptionChange): Promise<SubscriptionRow | undefined> {
    const columns = Object.keys(change) as (keyof SubscriptionChange)[];
    const assignments = columns.map((column, index) => `${column} = $${index + 2}`);
    const [rows] = await manager.query<[SubscriptionRow[], number]>(
      `UPDATE notifications.endpoints SET ${[...assignments, 'updated_at = now()'].join(', ')}
       WHERE id = $1 AND kind = 'queue' RETURNING ${COLUMNS}`,
      [id, ...columns.map((column) => change[column])],
    );
    return rows[0];
  }

  /** Deletes the subscription (its deliveries go with it); answers what it was, if it existed. */
  async delete(id: string): Promise<SubscriptionRow | undefined> {
    const [rows] = await this.dataSource.query<[SubscriptionRow[], number]>(
      `DELETE FROM notifications.endpoints WHERE id = $1 AND kind = 'queue' RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  async list(limit: number, cursor?: string): Promise<Page<SubscriptionView>> {
    return newestFirstPage(
      this.cursors,
      limit,
      cursor,
      (after, take) =>
        this.dataSource.query<SubscriptionRow[]>(
          `SELECT ${COLUMNS} FROM notifications.endpoints
           WHERE kind = 'queue' AND ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid))
           ORDER BY created_at DESC, id DESC LIMIT $3`,
          [after.createdAt, after.id, take],
        ),
      (row) => SubscriptionView.of(row),
    );
  }
}
