import type { AccountBalanceUpdatedData, TransactionStatus, TransactionUpdatedData } from '@app/contracts';
import type { Page } from '@app/dto';
import { DomainError } from '@app/http';
import { OutboxWriter, OutgoingEvent } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccountRow } from '../accounts/account.view';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { IdempotencyKey } from '../idempotency/idempotency-key';
import { IdempotentExecution } from '../idempotency/idempotent-execution';
import { balanceDeltaOfTransition, balanceEffect, canTransition } from './transaction-rules';
import type { CreateTransactionDto } from './transaction.dto';
import { TransactionView } from './transaction.view';
import { TransactionFilter, TransactionsRepository } from './transactions.repository';

const MAX_BALANCE = 9_223_372_036_854_775_807n; // bigint column

/**
 * The ledger's rules. Every change locks the account first, so concurrent changes to one account
 * serialise and its balance is checked against committed state; the change and the events that
 * announce it are written in one transaction.
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
      if (!account) throw new DomainError('not-found', `No account ${dto.accountId}`);
      if (account.currency !== dto.currency) {
        throw new DomainError(
          'currency-mismatch',
          `The transaction is in ${dto.currency} but account ${account.id} is in ${account.currency}`,
        );
      }
      const status = dto.status ?? 'completed';
      const at = new Date();
      const row = await this.transactions.insert(manager, {
        id: randomUUID(),
        account_id: account.id,
        type: dto.type,
        amount: dto.amount,
        currency: dto.currency,
        status,
        description: dto.description ?? null,
        metadata: dto.metadata ?? {},
        created_at: at,
      });
      const transaction = TransactionView.of(row);
      const events: OutgoingEvent[] = [{ type: 'transaction.created', subject: transaction.id, data: transaction }];
      if (status === 'completed') {
        const updated = await this.changeBalance(manager, account, balanceEffect(dto.type, BigInt(dto.amount)), at);
        events.push(this.balanceUpdated(updated, transaction.id));
      }
      await this.outbox.append(manager, events);
      return transaction;
    });
  }

  updateStatus(id: string, status: TransactionStatus): Promise<TransactionView> {
    return this.dataSource.transaction(async (manager) => {
      const known = await this.transactions.find(id);
      if (!known) throw new DomainError('not-found', `No transaction ${id}`);
      // Account before transaction: the same lock order as create, so the two never deadlock.
      const account = (await this.accounts.lock(manager, known.account_id)) as AccountRow;
      const current = (await this.transactions.lock(manager, id)) ?? known;
      if (!canTransition(current.status, status)) {
        throw new DomainError('invalid-transition', `A ${current.status} transaction cannot become ${status}`);
      }
      const at = new Date();
      const delta = balanceDeltaOfTransition(current.type, BigInt(current.amount), current.status, status);
      const updatedAccount = delta === 0n ? undefined : await this.changeBalance(manager, account, delta, at);
      const transaction = TransactionView.of(await this.transactions.updateStatus(manager, id, status, at));
      const data: TransactionUpdatedData = { ...transaction, previousStatus: current.status };
      const events: OutgoingEvent[] = [{ type: 'transaction.updated', subject: id, data }];
      if (updatedAccount) events.push(this.balanceUpdated(updatedAccount, id));
      await this.outbox.append(manager, events);
      return transaction;
    });
  }

  async get(id: string): Promise<TransactionView> {
    const row = await this.transactions.find(id);
    if (!row) throw new DomainError('not-found', `No transaction ${id}`);
    return TransactionView.of(row);
  }

  list(filter: TransactionFilter, limit: number, cursor?: string): Promise<Page<TransactionView>> {
    return this.transactions.list(filter, limit, cursor);
  }

  /** Applies `delta` to a locked account unless it would take the balance below zero. */
  private async changeBalance(
    manager: EntityManager,
    account: AccountRow,
    delta: bigint,
    at: Date,
  ): Promise<AccountRow> {
    const next = BigInt(account.balance) + delta;
    if (next < 0n) {
      throw new DomainError(
        'insufficient-funds',
        `Account ${account.id} has ${account.balance} ${account.currency}; this needs ${-delta}`,
      );
    }
    if (next > MAX_BALANCE) {
      throw new DomainError(
        'balance-limit-exceeded',
        `The balance of account ${account.id} would exceed ${MAX_BALANCE}`,
      );
    }
    return this.accounts.applyBalanceChange(manager, account.id, delta, at);
  }

  private balanceUpdated(account: AccountRow, transactionId: string): OutgoingEvent<AccountBalanceUpdatedData> {
    return {
      type: 'account.balance_updated',
      subject: account.id,
      data: {
        accountId: account.id,
        balance: account.balance,
        currency: account.currency,
        version: account.balance_version,
        transactionId,
      },
    };
  }
}
