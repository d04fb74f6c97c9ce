import type { TransactionData, TransactionStatus, TransactionType } from '@app/contracts';
import { OutboxRows, OutboxWriter } from '@app/messaging';
import { newestFirstPage, Page, PageCursors, PreparedStatement } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { BalanceChange, LockedBalance } from './balance-change';
import { TransactionRow, TransactionView } from './transaction.view';

const COLUMNS =
  'id, account_id, type, amount::text AS amount, currency, status, description, metadata, created_at, updated_at';

const FIND = new PreparedStatement<TransactionRow>(
  'transactions-find',
  `SELECT ${COLUMNS} FROM transactions.transactions WHERE id = $1`,
);

/**
 * The transaction and its account, both locked, in one statement. Rows are locked in the order
 * of the OF list whatever the plan, so every change of a transaction takes the account first,
 * as creating one does.
 */
const LOCK_WITH_ACCOUNT = new PreparedStatement<TransactionRow & { account: LockedBalance }>(
  'transactions-lock-with-account',
  `SELECT t.id, t.account_id, t.type, t.amount::text AS amount, t.currency, t.status, t.description, t.metadata,
          t.created_at, t.updated_at,
          json_build_object('id', a.id, 'currency', a.currency, 'balance', a.balance::text,
                            'balance_version', a.balance_version) AS account
   FROM transactions.accounts a JOIN transactions.transactions t ON t.account_id = a.id
   WHERE t.id = $1
   FOR UPDATE OF a, t`,
);

/** Parameters $1-$9 of the statements that insert a transaction. */
const INSERT_TRANSACTION = `INSERT INTO transactions.transactions
      (id, account_id, type, amount, currency, status, description, metadata, created_at, updated_at)
    VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8, $9, $9)`;

/** Parameters $1-$3 of the statements that change a transaction's status. */
const UPDATE_STATUS = 'UPDATE transactions.transactions SET status = $2, updated_at = $3 WHERE id = $1';

/** Parameters $4-$5, or $10-$11: the account and the delta; the version counts the change. */
const changeBalance = (account: number, delta: number, at: number) =>
  `UPDATE transactions.accounts
    SET balance = balance + $${delta}::bigint, balance_version = balance_version + 1, updated_at = $${at}
    WHERE id = $${account}`;

export interface TransactionFilter {
  accountId?: string;
  status?: TransactionStatus;
  type?: TransactionType;
}

/**
 * Transaction queries. A change is written in one statement with what it does to the balance and
 * the outbox rows that announce it: the caller has locked the account and worked all of it out.
 */
@Injectable()
export class TransactionsRepository {
  private readonly insertPending: PreparedStatement;
  private readonly insertCompleted: PreparedStatement;
  private readonly updateStatusOnly: PreparedStatement;
  private readonly updateStatusAndBalance: PreparedStatement;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
    private readonly outbox: OutboxWriter,
  ) {
    this.insertPending = new PreparedStatement(
      'transactions-insert-pending',
      `WITH inserted AS (${INSERT_TRANSACTION}) ${outbox.insertSql(10)}`,
    );
    this.insertCompleted = new PreparedStatement(
      'transactions-insert-completed',
      `WITH inserted AS (${INSERT_TRANSACTION}), balance AS (${changeBalance(2, 10, 9)}) ${outbox.insertSql(11)}`,
    );
    this.updateStatusOnly = new PreparedStatement(
      'transactions-update-status',
      `WITH updated AS (${UPDATE_STATUS}) ${outbox.insertSql(4)}`,
    );
    this.updateStatusAndBalance = new PreparedStatement(
      'transactions-update-status-and-balance',
      `WITH updated AS (${UPDATE_STATUS}), balance AS (${changeBalance(4, 5, 3)}) ${outbox.insertSql(6)}`,
    );
  }

  /** Inserts a new transaction, moves the balance when a change is given, and appends the events. */
  async insert(
    manager: EntityManager,
    transaction: TransactionData,
    balance: BalanceChange | undefined,
    events: OutboxRows,
  ): Promise<void> {
    const row = [
      transaction.id,
      transaction.accountId,
      transaction.type,
      transaction.amount,
      transaction.currency,
      transaction.status,
      transaction.description,
      transaction.metadata,
      transaction.createdAt,
    ];
    if (balance) {
      await this.insertCompleted.run(manager, [...row, balance.delta.toString(), ...events.columns]);
    } else {
      await this.insertPending.run(manager, [...row, ...events.columns]);
    }
  }

  async find(id: string): Promise<TransactionRow | undefined> {
    const [row] = await FIND.run(this.dataSource, [id]);
    return row;
  }

  /** Locks the transaction and its account until the transaction ends. */
  async lockWithAccount(
    manager: EntityManager,
    id: string,
  ): Promise<{ transaction: TransactionRow; account: LockedBalance } | undefined> {
    const [locked] = await LOCK_WITH_ACCOUNT.run(manager, [id]);
    if (!locked) return undefined;
    const { account, ...transaction } = locked;
    return { transaction, account };
  }

  /** Sets the status, moves the balance when a change is given, and appends the events. */
  async updateStatus(
    manager: EntityManager,
    transaction: TransactionData,
    balance: BalanceChange | undefined,
    events: OutboxRows,
  ): Promise<void> {
    const row = [transaction.id, transaction.status, transaction.updatedAt];
    if (balance) {
      await this.updateStatusAndBalance.run(manager, [
        ...row,
        balance.accountId,
        balance.delta.toString(),
        ...events.columns,
      ]);
    } else {
      await this.updateStatusOnly.run(manager, [...row, ...events.columns]);
    }
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
