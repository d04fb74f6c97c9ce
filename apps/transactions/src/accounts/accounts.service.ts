import { COMMON_ERRORS, DomainError } from '@app/errors';
import type { Page } from '@app/persistence';
import { OutboxWriter } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccountView } from './account.view';
import { AccountsRepository } from './accounts.repository';
import type { CreateAccountDto } from './create-account.dto';

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Opens an account and announces it (`account.created`) in one statement of one transaction:
   * the account as the API returns it is known before it is written.
   */
  create(dto: CreateAccountDto): Promise<AccountView> {
    const at = new Date();
    const account = AccountView.of({
      id: randomUUID(),
      name: dto.name,
      currency: dto.currency,
      balance: '0',
      balance_version: 0,
      created_at: at,
      updated_at: at,
    });
    return this.dataSource.transaction(async (manager) => {
      const events = await this.outbox.rows(manager, [{ type: 'account.created', subject: account.id, data: account }]);
      await this.accounts.insert(manager, account, events);
      return account;
    });
  }

  async get(id: string): Promise<AccountView> {
    const row = await this.accounts.find(id);
    if (!row) throw new DomainError(COMMON_ERRORS['not-found'], `No account ${id}`);
    return AccountView.of(row);
  }

  list(limit: number, cursor?: string): Promise<Page<AccountView>> {
    return this.accounts.list(limit, cursor);
  }
}
