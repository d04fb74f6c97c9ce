import { newestFirstPage, Page, PageCursors } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CampaignStatus } from './campaign-evaluation';
import { CampaignRow, CampaignView } from './campaign.view';

const COLUMNS = 'id, account_id, name, min_balance::text AS min_balance, status, created_at, updated_at';

@Injectable()
export class CampaignsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
  ) {}

  async insert(manager: EntityManager, row: Omit<CampaignRow, 'updated_at'>): Promise<CampaignRow> {
    const [inserted] = await manager.query<CampaignRow[]>(
      `INSERT INTO ad_engine.campaigns (id, account_id, name, min_balance, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4::bigint, $5, $6, $6) RETURNING ${COLUMNS}`,
      [row.id, row.account_id, row.name, row.min_balance, row.status, row.created_at],
    );
    return inserted;
  }

  async find(id: string): Promise<CampaignRow | undefined> {
    const [row] = await this.dataSource.query<CampaignRow[]>(
      `SELECT ${COLUMNS} FROM ad_engine.campaigns WHERE id = $1`,
      [id],
    );
    return row;
  }

  async lock(manager: EntityManager, id: string): Promise<CampaignRow | undefined> {
    const [row] = await manager.query<CampaignRow[]>(
      `SELECT ${COLUMNS} FROM ad_engine.campaigns WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async update(
    manager: EntityManager,
    id: string,
    change: { name: string; minBalance: string; status: CampaignStatus; at: Date },
  ): Promise<CampaignRow> {
    const [rows] = await manager.query<[CampaignRow[], number]>(
      `UPDATE ad_engine.campaigns SET name = $2, min_balance = $3::bigint, status = $4, updated_at = $5
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, change.name, change.minBalance, change.status, change.at],
    );
    return rows[0];
  }

  /** Sets the status of many campaigns in one statement; answers the changed rows. */
  async setStatuses(
    manager: EntityManager,
    changes: { id: string; status: CampaignStatus }[],
    at: Date,
  ): Promise<CampaignRow[]> {
    const [rows] = await manager.query<[CampaignRow[], number]>(
      `UPDATE ad_engine.campaigns SET status = v.new_status, updated_at = $3
       FROM unnest($1::uuid[], $2::text[]) AS v(campaign_id, new_status) WHERE id = v.campaign_id RETURNING ${COLUMNS}`,
      [changes.map((change) => change.id), changes.map((change) => change.status), at],
    );
    return rows;
  }

  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const [, count] = await manager.query<[unknown[], number]>('DELETE FROM ad_engine.campaigns WHERE id = $1', [id]);
    return count > 0;
  }

  async list(
    filter: { accountId?: string; status?: CampaignStatus },
    limit: number,
    cursor?: string,
  ): Promise<Page<CampaignView>> {
    return newestFirstPage(
      this.cursors,
      limit,
      cursor,
      (after, take) =>
        this.dataSource.query<CampaignRow[]>(
          `SELECT ${COLUMNS} FROM ad_engine.campaigns
           WHERE ($1::uuid IS NULL OR account_id = $1)
             AND ($2::text IS NULL OR status = $2)
             AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
           ORDER BY created_at DESC, id DESC LIMIT $5`,
          [filter.accountId ?? null, filter.status ?? null, after.createdAt, after.id, take],
        ),
      (row) => CampaignView.of(row),
    );
  }
}
