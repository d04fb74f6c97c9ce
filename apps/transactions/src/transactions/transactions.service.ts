import type { AccountBalanceUpdatedData, TransactionStatus, TransactionUpdatedData } from '@app/contracts';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import type { Page } from '@app/persistence';
import { OutboxWriter, OutgoingEvent } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { IdempotencyKey } from '../idempotency/idempotency-key';
import { IdempotentExecution } from '../idempotency/idempotent-execution';
import { BalanceChange, balanceChangeOf, LockedBalance } from './balance-change';
import { balanceDeltaOfTransition, balanceEffect, canTransition } from './transaction-rules';
import type { CreateTransactionDto } from './transaction.dto';
import { TransactionView } from './transaction.view';
import { TransactionFilter, TransactionsRepository } from './transactions.repository';
import { TRANSACTION_ERRORS } from './transactions.errors';

/**
 * The ledger's rules. Every change locks the account first, so concurrent changes to one account
 * serialise and its balance is checked against committed state. A new transaction is recorded by
 * one statement that locks, checks and writes (one round trip, no BEGIN or COMMIT without an
 * Idempotency-Key); a status change locks the transaction and its account, works out the change
 * from the locked rows, and writes it with its events in one more statement (four round trips).
 */
@Injectable()
export class TransactionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionsRepository,
    private readonly outbox: OutboxWriter,
    private readonly idempotency: IdempotentExecution,
  ) {}

  /**
   * One statement, committed on its own without an Idempotency-Key: it locks the account, checks
   * it and writes everything, or writes nothing and answers the account it found, from which the
   * ledger's rules tell the client why.
   */
  create(dto: CreateTransactionDto, key?: IdempotencyKey): Promise<TransactionView> {
    return this.idempotency.run(key, 201, async (on) => {
      const at = new Date().toISOString();
      const transaction: TransactionView = {
        id: randomUUID(),
        // As PostgreSQL writes a uuid (the client may send capitals): events and answers carry it so.
        accountId: dto.accountId.toLowerCase(),
        type: dto.type,
        amount: dto.amount,
        currency: dto.currency,
        status: dto.status ?? 'completed',
        description: dto.description ?? null,
        metadata: dto.metadata ?? {},
        createdAt: at,
        updatedAt: at,
      };
      const delta = transaction.status === 'completed' ? balanceEffect(dto.type, BigInt(dto.amount)) : undefined;
      const events: OutgoingEvent[] = [{ type: 'transaction.created', subject: transaction.id, data: transaction }];
      if (delta !== undefined) events.push(this.balanceUpdatedBeforeLock(transaction));
      const account = await this.transactions.record(on, transaction, delta, this.outbox.toRows(events));
      if (!account) throw new DomainError(COMMON_ERRORS['not-found'], `No account ${dto.accountId}`);
      if (!account.written) throw refusal(account, dto.currency, delta);
      return transaction;
    });
  }

  updateStatus(id: string, status: TransactionStatus): Promise<TransactionView> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.transactions.lockWithAccount(manager, id);
      if (!locked) throw new DomainError(COMMON_ERRORS['not-found'], `No transaction ${id}`);
      const current = locked.transaction;
      if (!canTransition(current.status, status)) {
        throw new DomainError(
          TRANSACTION_ERRORS['invalid-transition'],
          `A ${current.status} transaction cannot become ${status}`,
        );
      }
      const delta = balanceDeltaOfTransition(current.type, BigInt(current.amount), current.status, status);
      const balance = delta === 0n ? undefined : balanceChangeOf(locked.account, delta);
      const transaction: TransactionView = {
        ...TransactionView.of(current),
        status,
        updatedAt: new Date().toISOString(),
      };
      const data: TransactionUpdatedData = { ...transaction, previousStatus: current.status };
      const events: OutgoingEvent[] = [{ type: 'transaction.updated', subject: id, data }];
      if (balance) events.push(this.balanceUpdated(balance, id));
      await this.transactions.updateStatus(manager, transaction, balance, await this.outbox.rows(manager, events));
      return transaction;
    });
  }

  async get(id: string): Promise<TransactionView> {
    const row = await this.transactions.find(id);
    if (!row) throw new DomainError(COMMON_ERRORS['not-found'], `No transaction ${id}`);
    return TransactionView.of(row);
  }

  list(filter: TransactionFilter, limit: number, cursor?: string): Promise<Page<TransactionView>> {
    return this.transactions.list(filter, limit, cursor);
  }

  /**
   * `account.balance_updated` for a new transaction, whose statement fills in the balance and the
   * version from the account it locks (see TransactionsRepository.record).
   */
  private balanceUpdatedBeforeLock(transaction: TransactionView): OutgoingEvent<AccountBalanceUpdatedData> {
    return {
      type: 'account.balance_updated',
      subject: transaction.accountId,
      data: {
        accountId: transaction.accountId,
        balance: '',
        currency: transaction.currency,
        version: 0,
        transactionId: transaction.id,
      },
    };
  }

  private balanceUpdated(balance: BalanceChange, transactionId: string): OutgoingEvent<AccountBalanceUpdatedData> {
    return {
      type: 'account.balance_updated',
      subject: balance.accountId,
      data: {
        accountId: balance.accountId,
        balance: balance.balance.toString(),
        currency: balance.currency,
        version: balance.version,
        transactionId,
      },
    };
  }
}

/**
 * Why the statement recording a transaction wrote nothing, from the account it locked: the same
 * checks as the statement's, in the ledger's own terms.
 */
function refusal(account: LockedBalance, currency: string, delta: bigint | undefined): DomainError | Error {
  if (account.currency !== currency) {
    return new DomainError(
      TRANSACTION_ERRORS['currency-mismatch'],
      `The transaction is in ${currency} but account ${account.id} is in ${account.currency}`,
    );
  }
  try {
    if (delta !== undefined) balanceChangeOf(account, delta);
  } catch (error) {
    return error as DomainError;
  }
  return new Error(`the statement recording a transaction on account ${account.id} wrote nothing, for no known reason`);
}
