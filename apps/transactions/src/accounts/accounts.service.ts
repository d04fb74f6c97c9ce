import { COMMON_ERRORS, DomainError } from '@app/errors';
import type { Page } from '@app/persistence';
import { OutboxWriter } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountView } from './account.view';
import { AccountsRepository } from './accounts.repository';
import type { CreateAccountDto } from './create-account.dto';

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Opens an account and announces it (`account.created`) in one statement committed on its own:
   * the account as the API returns it is known before it is written.
   */
  async create(dto: CreateAccountDto): Promise<AccountView> {
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
    await this.accounts.insert(
      account,
      this.outbox.toRows([{ type: 'account.created', subject: account.id, data: account }]),
    );
    return account;
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
