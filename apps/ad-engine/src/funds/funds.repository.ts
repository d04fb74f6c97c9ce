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

/** The advisory-lock namespace (first key) of per-account campaign decisions. */
const ACCOUNT_LOCK_NAMESPACE = 0x41444631;

@Injectable()
export class FundsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Serialises every campaign decision for one account until the transaction ends: a balance
   * event, and a campaign created or edited through the API. A row lock cannot do it, since the
   * funds row may not exist yet when both start (a new account's first deposit).
   */
  async lockAccounts(manager: EntityManager, accountIds: string[]): Promise<void> {
    // In the order of the lock keys themselves: two batches can then never wait on each other in
    // a cycle, even when two accounts' keys collide.
    await manager.query(
      `SELECT pg_advisory_xact_lock($1, key)
       FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($2::text[]) AS id ORDER BY key) keys`,
      [ACCOUNT_LOCK_NAMESPACE, accountIds],
    );
  }

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
