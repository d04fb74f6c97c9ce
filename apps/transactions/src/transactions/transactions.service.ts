import type { AccountBalanceUpdatedData, TransactionStatus, TransactionUpdatedData } from '@app/contracts';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import type { Page } from '@app/persistence';
import { OutboxWriter, OutgoingEvent } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { IdempotencyKey } from '../idempotency/idempotency-key';
import { IdempotentExecution } from '../idempotency/idempotent-execution';
import { BalanceChange, balanceChangeOf } from './balance-change';
import { balanceDeltaOfTransition, balanceEffect, canTransition } from './transaction-rules';
import type { CreateTransactionDto } from './transaction.dto';
import { TransactionView } from './transaction.view';
import { TransactionFilter, TransactionsRepository } from './transactions.repository';
import { TRANSACTION_ERRORS } from './transactions.errors';

/**
 * The ledger's rules. Every change locks the account first, so concurrent changes to one account
 * serialise and its balance is checked against committed state. The locked row tells all the
 * change needs (the new balance and version), so the change and the events that announce it are
 * then written by one statement, in the same transaction: four round trips in all.
 */
@Injectable()
export class TransactionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly transactions: TransactionsRepository,
    private readonly outbox: OutboxWriter,
    private readonly idempotency: IdempotentExecution,
  ) {}

  create(dto: CreateTransactionDto, key?: IdempotencyKey): Promise<TransactionView> {
    return this.idempotency.run(key, 201, async (manager) => {
      const account = await this.accounts.lock(manager, dto.accountId);
      if (!account) throw new DomainError(COMMON_ERRORS['not-found'], `No account ${dto.accountId}`);
      if (account.currency !== dto.currency) {
        throw new DomainError(
          TRANSACTION_ERRORS['currency-mismatch'],
          `The transaction is in ${dto.currency} but account ${account.id} is in ${account.currency}`,
        );
      }
      const at = new Date().toISOString();
      const transaction: TransactionView = {
        id: randomUUID(),
        accountId: account.id,
        type: dto.type,
        amount: dto.amount,
        currency: dto.currency,
        status: dto.status ?? 'completed',
        description: dto.description ?? null,
        metadata: dto.metadata ?? {},
        createdAt: at,
        updatedAt: at,
      };
      const events: OutgoingEvent[] = [{ type: 'transaction.created', subject: transaction.id, data: transaction }];
      const balance =
        transaction.status === 'completed'
          ? balanceChangeOf(account, balanceEffect(dto.type, BigInt(dto.amount)))
          : undefined;
      if (balance) events.push(this.balanceUpdated(balance, transaction.id));
      await this.transactions.insert(manager, transaction, balance, await this.outbox.rows(manager, events));
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
