import type { Page } from '@app/dto';
import { newestFirstPage, PageCursors } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AccountRow, AccountView } from './account.view';

const COLUMNS = 'id, name, currency, balance::text AS balance, balance_version, created_at, updated_at';

/** Account queries; each takes the caller's EntityManager when it must join a transaction. */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
  ) {}

  async insert(manager: EntityManager, account: { id: string; name: string; currency: string; at: Date }) {
    const [row] = await manager.query<AccountRow[]>(
      `INSERT INTO transactions.accounts (id, name, currency, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $4) RETURNING ${COLUMNS}`,
      [account.id, account.name, account.currency, account.at],
    );
    return row;
  }

  async find(id: string): Promise<AccountRow | undefined> {
    const [row] = await this.dataSource.query<AccountRow[]>(
      `SELECT ${COLUMNS} FROM transactions.accounts WHERE id = $1`,
      [id],
    );
    return row;
  }

  /** Locks the account row until the transaction ends: balance changes on it serialise here. */
  async lock(manager: EntityManager, id: string): Promise<AccountRow | undefined> {
    const [row] = await manager.query<AccountRow[]>(
      `SELECT ${COLUMNS} FROM transactions.accounts WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** Moves the balance by `delta` minor units and counts the change in the balance version. */
  async applyBalanceChange(manager: EntityManager, id: string, delta: bigint, at: Date): Promise<AccountRow> {
    const [rows] = await manager.query<[AccountRow[], number]>(
      `UPDATE transactions.accounts
       SET balance = balance + $2::bigint, balance_version = balance_version + 1, updated_at = $3
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, delta.toString(), at],
    );
    return rows[0];
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(limit: number, cursor?: string): Promise<Page<AccountView>> {
    return newestFirstPage(
      this.cursors,
      limit,
      cursor,
      (after, take) =>
        this.dataSource.query<AccountRow[]>(
          `SELECT ${COLUMNS} FROM transactions.accounts
           WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
           ORDER BY created_at DESC, id DESC LIMIT $3`,
          [after.createdAt, after.id, take],
        ),
      (row) => AccountView.of(row),
    );
  }
}
