import type { TransactionData, TransactionStatus, TransactionType } from '@app/contracts';
import { OutboxRows, OutboxWriter } from '@app/messaging';
import { newestFirstPage, Page, PageCursors, PreparedStatement } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { BalanceChange, LockedBalance, MAX_BALANCE } from './balance-change';
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

/** The account as a new transaction found it, locked; `written` tells whether the transaction was. */
export interface RecordedOn extends LockedBalance {
  written: boolean;
}

/**
 * A new transaction in one statement, committed on its own (or in the caller's transaction):
 * locks its account, checks the currency and, for a completed one, that the balance stays within
 * 0 and the column's limit, and only then writes the transaction, the new balance with the next
 * version, and the events, filling the balance and version of `account.balance_updated` in (only
 * the locked row knows them). Answers the locked account, or no row if there is none; when a check
 * refuses, nothing is written and the caller tells why from the account (the same rules in
 * TypeScript, see balanceChangeOf). Parameters: $1-$9 the transaction, then for a completed one
 * $10 the delta, then the events' five columns.
 *
 * The lock and the writes are parts of one statement: the locking part waits for a concurrent
 * change of the account and then reads its newest version, which the balance update then
 * changes, so the version still rises by one per change with no gap.
 */
function recordTransactionSql(outbox: OutboxWriter, movesBalance: boolean): string {
  const newBalance = 'balance::numeric + $10::numeric';
  const change = movesBalance
    ? `SELECT id, ${newBalance} AS balance, balance_version + 1 AS version FROM account
       WHERE currency = $5 AND ${newBalance} BETWEEN 0 AND ${MAX_BALANCE}`
    : 'SELECT id FROM account WHERE currency = $5';
  const balance = movesBalance
    ? `, balance AS (
         UPDATE transactions.accounts a SET balance = c.balance::bigint, balance_version = c.version, updated_at = $9
         FROM change c WHERE a.id = c.id)`
    : '';
  const events = outbox.insertSql(movesBalance ? 11 : 10, {
    from: 'change c',
    envelope: movesBalance
      ? `CASE WHEN e.type = 'account.balance_updated'
           THEN jsonb_set(jsonb_set(e.envelope, '{data,balance}', to_jsonb(c.balance::text)), '{data,version}', to_jsonb(c.version))
           ELSE e.envelope END`
      : undefined,
  });
  return `WITH account AS (
      SELECT id, currency, balance, balance_version FROM transactions.accounts WHERE id = $2 FOR UPDATE
    ), change AS (${change}
    ), inserted AS (
      INSERT INTO transactions.transactions
        (id, account_id, type, amount, currency, status, description, metadata, created_at, updated_at)
      SELECT $1, $2, $3, $4::bigint, $5, $6, $7, $8, $9, $9 FROM change
    )${balance}, events AS (${events})
    SELECT id, currency, balance::text AS balance, balance_version, EXISTS (SELECT 1 FROM change) AS written
    FROM account`;
}

/** Parameters $1-$3 of the statements that change a transaction's status. */
const UPDATE_STATUS = 'UPDATE transactions.transactions SET status = $2, updated_at = $3 WHERE id = $1';

/** Parameters $4-$5: the account and the delta; the version counts the change. */
const CHANGE_BALANCE = `UPDATE transactions.accounts
    SET balance = balance + $5::bigint, balance_version = balance_version + 1, updated_at = $3
    WHERE id = $4`;

export interface TransactionFilter {
  accountId?: string;
  status?: TransactionStatus;
  type?: TransactionType;
}

/**
 * Transaction queries. A change is written in one statement with what it does to the balance and
 * the outbox rows that announce it: a new transaction locks and checks its account in that same
 * statement; a status change comes after the caller has locked both and worked all of it out.
 */
@Injectable()
export class TransactionsRepository {
  private readonly recordPending: PreparedStatement<RecordedOn>;
  private readonly recordCompleted: PreparedStatement<RecordedOn>;
  private readonly updateStatusOnly: PreparedStatement;
  private readonly updateStatusAndBalance: PreparedStatement;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: PageCursors,
    private readonly outbox: OutboxWriter,
  ) {
    this.recordPending = new PreparedStatement('transactions-record-pending', recordTransactionSql(outbox, false));
    this.recordCompleted = new PreparedStatement('transactions-record-completed', recordTransactionSql(outbox, true));
    this.updateStatusOnly = new PreparedStatement(
      'transactions-update-status',
      `WITH updated AS (${UPDATE_STATUS}) ${outbox.insertSql(4)}`,
    );
    this.updateStatusAndBalance = new PreparedStatement(
      'transactions-update-status-and-balance',
      `WITH updated AS (${UPDATE_STATUS}), balance AS (${CHANGE_BALANCE}) ${outbox.insertSql(6)}`,
    );
  }

  /**
   * Records a new transaction, moving the balance by `delta` when one is given, with its events
   * (see {@link recordTransactionSql}): on `on`'s transaction, or on its own given the data source.
   * Answers the account as it was locked, or undefined if there is no such account.
   */
  async record(
    on: EntityManager | DataSource,
    transaction: TransactionData,
    delta: bigint | undefined,
    events: OutboxRows,
  ): Promise<RecordedOn | undefined> {
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
    const [account] =
      delta === undefined
        ? await this.outbox.execute(on, this.recordPending, [...row, ...events.columns])
        : await this.outbox.execute(on, this.recordCompleted, [...row, delta.toString(), ...events.columns]);
    return account;
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
