import type { Page } from '@app/dto';
import { DomainError } from '@app/http';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountView } from './account.view';
import { AccountsRepository } from './accounts.repository';
import type { CreateAccountDto } from './create-account.dto';

@Injectable()
export class AccountsService {
  constructor(private readonly accounts: AccountsRepository) {}

  async create(dto: CreateAccountDto): Promise<AccountView> {
    const row = await this.accounts.insert({
      id: randomUUID(),
      name: dto.name,
      currency: dto.currency,
      at: new Date(),
    });
    return AccountView.of(row);
  }

  async get(id: string): Promise<AccountView> {
    const row = await this.accounts.find(id);
    if (!row) throw new DomainError('not-found', `No account ${id}`);
    return AccountView.of(row);
  }

  list(limit: number, cursor?: string): Promise<Page<AccountView>> {
    return this.accounts.list(limit, cursor);
  }
}
