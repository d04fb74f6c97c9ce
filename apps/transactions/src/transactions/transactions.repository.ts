import type { TransactionStatus, TransactionType } from '@app/contracts';
import type { Page } from '@app/dto';
import { newestFirstPage, PageCursors } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { TransactionRow, TransactionView } from './transaction.view';

const COLUMNS =
  'id, account_id, type, amount::text AS amount, currency, status, description, metadata, created_at, updated_at';

export interface TransactionFilter {
  accountId?: string;
  status?: TransactionStatus;
  type?: TransactionType;
}

@Injectable()
export class TransactionsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
  ) {}

  async insert(manager: EntityManager, row: Omit<TransactionRow, 'updated_at'>): Promise<TransactionRow> {
    const [inserted] = await manager.query<TransactionRow[]>(
      `INSERT INTO transactions.transactions
         (id, account_id, type, amount, currency, status, description, metadata, created_at, updated_at)
       VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8, $9, $9) RETURNING ${COLUMNS}`,
      [
        row.id,
        row.account_id,
        row.type,
        row.amount,
        row.currency,
        row.status,
        row.description,
        row.metadata,
        row.created_at,
      ],
    );
    return inserted;
  }

  async find(id: string): Promise<TransactionRow | undefined> {
    const [row] = await this.dataSource.query<TransactionRow[]>(
      `SELECT ${COLUMNS} FROM transactions.transactions WHERE id = $1`,
      [id],
    );
    return row;
  }

  async lock(manager: EntityManager, id: string): Promise<TransactionRow | undefined> {
    const [row] = await manager.query<TransactionRow[]>(
      `SELECT ${COLUMNS} FROM transactions.transactions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async updateStatus(manager: EntityManager, id: string, status: TransactionStatus, at: Date): Promise<TransactionRow> {
    const [rows] = await manager.query<[TransactionRow[], number]>(
      `UPDATE transactions.transactions SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, status, at],
    );
    return rows[0];
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(filter: TransactionFilter, limit: number, cursor?: string): Promise<Page<TransactionView>> {
    return newestFirstPage(
      this.cursors,
      limit,
      cursor,
      (after, take) =>
        this.dataSource.query<TransactionRow[]>(
          `SELECT ${COLUMNS} FROM transactions.transactions
           WHERE ($1::uuid IS NULL OR account_id = $1)
             AND ($2::text IS NULL OR status = $2)
             AND ($3::text IS NULL OR type = $3)
             AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
           ORDER BY created_at DESC, id DESC LIMIT $6`,
          [filter.accountId ?? null, filter.status ?? null, filter.type ?? null, after.createdAt, after.id, take],
        ),
      (row) => TransactionView.of(row),
    );
  }
}
