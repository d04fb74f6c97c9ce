import { OutboxRows, OutboxWriter } from '@app/messaging';
import { newestFirstPage, Page, PageCursors, PreparedStatement } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccountRow, AccountView } from './account.view';

const COLUMNS = 'id, name, currency, balance::text AS balance, balance_version, created_at, updated_at';

const FIND = new PreparedStatement<AccountRow>(
  'accounts-find',
  `SELECT ${COLUMNS} FROM transactions.accounts WHERE id = $1`,
);

/** Account queries. */
@Injectable()
export class AccountsRepository {
  private readonly insertAnnounced: PreparedStatement;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
    private readonly outbox: OutboxWriter,
  ) {
    this.insertAnnounced = new PreparedStatement(
      'accounts-insert',
      `WITH inserted AS (
         INSERT INTO transactions.accounts (id, name, currency, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ) ${outbox.insertSql(5)}`,
    );
  }

  /** Inserts a new account and the outbox rows that announce it, in one statement committed on its own. */
  async insert(account: AccountView, events: OutboxRows): Promise<void> {
    await this.outbox.execute(this.dataSource, this.insertAnnounced, [
      account.id,
      account.name,
      account.currency,
      account.createdAt,
      ...events.columns,
    ]);
  }

  async find(id: string): Promise<AccountRow | undefined> {
    const [row] = await FIND.run(this.dataSource, [id]);
    return row;
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
