import { newestFirstPage, Page, PageCursors } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { EndpointRow, EndpointView } from './endpoint.view';
import type { Target } from './target';

const COLUMNS = `id, url, description, event_types, filter, ordering, enabled, disabled_reason, secret, previous_secret,
  previous_secret_expires_at, failing_since, created_at, updated_at`;

/**
 * What the fan-out needs of an enabled target, webhook or queue: its filters, its ordering and
 * what an attempt needs (a webhook's URL and secrets, a subscription's queue).
 */
export type EnabledEndpoint = Pick<EndpointRow, 'id' | 'event_types' | 'filter' | 'ordering' | 'updated_at'> & Target;

/**
 * Webhook endpoints. Subscriptions (queue targets) share their table, so every read and write
 * here is of `kind = 'webhook'` only, except `enabled`, which feeds the fan-out both.
 */

@Injectable()
export class EndpointsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
  ) {}

  async insert(
    row: Pick<
      EndpointRow,
      'id' | 'url' | 'description' | 'event_types' | 'filter' | 'ordering' | 'secret' | 'created_at'
    >,
  ) {
    const [inserted] = await this.dataSource.query<EndpointRow[]>(
      `INSERT INTO notifications.endpoints
         (id, kind, url, description, event_types, filter, ordering, secret, created_at, updated_at)
       VALUES ($1, 'webhook', $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${COLUMNS}`,
      [row.id, row.url, row.description, row.event_types, row.filter, row.ordering, row.secret, row.created_at],
    );
    return inserted;
  }

  async find(id: string, manager?: EntityManager): Promise<EndpointRow | undefined> {
    const [row] = await (manager ?? this.dataSource).query<EndpointRow[]>(
      `SELECT ${COLUMNS} FROM notifications.endpoints WHERE id = $1 AND kind = 'webhook'`,
      [id],
    );
    return row;
  }

  async lock(manager: EntityManager, id: string): Promise<EndpointRow | undefined> {
    const [row] = await manager.query<EndpointRow[]>(
      `SELECT ${COLUMNS} FROM notifications.endpoints WHERE id = $1 AND kind = 'webhook' FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** Enabled webhooks and subscriptions with their filters and what an attempt needs. */
  async enabled(): Promise<EnabledEndpoint[]> {
    return this.dataSource.query(
      `SELECT id, event_types, filter, ordering, updated_at, queue, url, secret, previous_secret,
         previous_secret_expires_at, failing_since
       FROM notifications.endpoints WHERE enabled`,
    );
  }

  async update(manager: EntityManager, id: string, change: Partial<EndpointRow>): Promise<EndpointRow> {
    const columns = Object.keys(change) as (keyof EndpointRow)[];
    const assignments = columns.map((column, index) => `${column} = $${index + 2}`);
    const [rows] = await manager.query<[EndpointRow[], number]>(
      `UPDATE notifications.endpoints SET ${[...assignments, 'updated_at = now()'].join(', ')}
       WHERE id = $1 AND kind = 'webhook' RETURNING ${COLUMNS}`,
      [id, ...columns.map((column) => change[column])],
    );
    return rows[0];
  }

  /** The first failure of a streak; later ones leave its start alone. */
  async startFailingStreak(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE notifications.endpoints SET failing_since = $2, updated_at = now() WHERE id = $1 AND failing_since IS NULL',
      [id, at],
    );
  }

  async endFailingStreak(id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE notifications.endpoints SET failing_since = NULL, updated_at = now() WHERE id = $1 AND failing_since IS NOT NULL',
      [id],
    );
  }

  /**
   * Endpoints with a secret (current or previous) not starting with `prefix` (not sealed with the
   * current key), leaving out `except`.
   */
  async secretsNotSealedWith(
    prefix: string,
    except: string[],
    limit: number,
  ): Promise<Pick<EndpointRow, 'id' | 'secret' | 'previous_secret'>[]> {
    return this.dataSource.query(
      `SELECT id, secret, previous_secret FROM notifications.endpoints
       WHERE (NOT starts_with(secret, $1) OR NOT starts_with(previous_secret, $1)) AND NOT (id = ANY($2::uuid[]))
       ORDER BY id LIMIT $3`,
      [prefix, except, limit],
    );
  }

  /**
   * Replaces an endpoint's stored secrets with the same secrets sealed anew, if they are still as
   * read (a rotation meanwhile wins). Not a change of the endpoint: `updated_at` stays.
   */
  async replaceSecrets(
    id: string,
    read: Pick<EndpointRow, 'secret' | 'previous_secret'>,
    sealed: Pick<EndpointRow, 'secret' | 'previous_secret'>,
  ): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE notifications.endpoints SET secret = $4, previous_secret = $5
       WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3`,
      [id, read.secret, read.previous_secret, sealed.secret, sealed.previous_secret],
    );
    return count > 0;
  }

  /** Rotated-out secrets stop signing once their grace period is over. */
  async expirePreviousSecrets(): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.endpoints SET previous_secret = NULL, previous_secret_expires_at = NULL
       WHERE previous_secret_expires_at < now()`,
    );
  }

  async delete(id: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      "DELETE FROM notifications.endpoints WHERE id = $1 AND kind = 'webhook'",
      [id],
    );
    return count > 0;
  }

  async list(limit: number, cursor?: string): Promise<Page<EndpointView>> {
    return newestFirstPage(
      this.cursors,
      limit,
      cursor,
      (after, take) =>
        this.dataSource.query<EndpointRow[]>(
          `SELECT ${COLUMNS} FROM notifications.endpoints
           WHERE kind = 'webhook' AND ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid))
           ORDER BY created_at DESC, id DESC LIMIT $3`,
          [after.createdAt, after.id, take],
        ),
      (row) => EndpointView.of(row),
    );
  }
}
