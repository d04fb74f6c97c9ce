import type { AccountBalanceUpdatedData } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface FundsRow {
  account_id: string;
  balance: string;
  currency: string;
  version: number;
  updated_at: Date;
}

const COLUMNS = 'account_id, balance::text AS balance, currency, version, updated_at';

@Injectable()
export class FundsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(accountId: string, manager?: EntityManager): Promise<FundsRow | undefined> {
    const [row] = await (manager ?? this.dataSource).query<FundsRow[]>(
      `SELECT ${COLUMNS} FROM ad_engine.funds WHERE account_id = $1`,
      [accountId],
    );
    return row;
  }

  /**
   * Records a balance unless a newer version is already known (events may arrive out of order).
   * Returns the row when it was applied, undefined when it was stale. The row stays locked until
   * the caller's transaction ends, so campaign decisions for one account are serialised.
   */
  async applyIfNewer(manager: EntityManager, data: AccountBalanceUpdatedData): Promise<FundsRow | undefined> {
    const [row] = await manager.query<FundsRow[]>(
      `INSERT INTO ad_engine.funds AS f (account_id, balance, currency, version, updated_at)
       VALUES ($1, $2::bigint, $3, $4, now())
       ON CONFLICT (account_id) DO UPDATE
         SET balance = EXCLUDED.balance, currency = EXCLUDED.currency, version = EXCLUDED.version, updated_at = now()
         WHERE f.version < EXCLUDED.version
       RETURNING ${COLUMNS}`,
      [data.accountId, data.balance, data.currency, data.version],
    );
    return row;
  }
}
