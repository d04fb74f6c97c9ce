import type { CampaignStatusData } from '@app/contracts';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import type { Page } from '@app/persistence';
import { OutboxWriter, OutgoingEvent } from '@app/messaging';
import { runInTrace, TraceContext } from '@app/observability';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppliedBalance, FundsRepository } from '../funds/funds.repository';
import { CampaignStatus, evaluateCampaign, Evaluation } from './campaign-evaluation';
import type { CreateCampaignDto, UpdateCampaignDto } from './campaign.dto';
import { CampaignRow, CampaignView } from './campaign.view';
import { CampaignsRepository } from './campaigns.repository';

const EVENT_OF: Record<CampaignStatus, 'campaign.activated' | 'campaign.paused'> = {
  active: 'campaign.activated',
  paused: 'campaign.paused',
};

/**
 * Campaign decisions. Each status change is written together with the one event that announces
 * it (outbox, same transaction). Decisions for one account are serialised by its account lock
 * (FundsRepository.lockAccounts), taken first by balance events and API changes alike: otherwise
 * a campaign created during its account's first deposit could miss it and stay paused.
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsRepository,
    private readonly funds: FundsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(dto: CreateCampaignDto): Promise<CampaignView> {
    return this.dataSource.transaction(async (manager) => {
      await this.funds.lockAccounts(manager, [dto.accountId]);
      const known = await this.funds.find(dto.accountId, manager);
      const evaluation = evaluateCampaign(BigInt(dto.minBalance), known ? BigInt(known.balance) : undefined);
      const row = await this.campaigns.insert(manager, {
        id: randomUUID(),
        account_id: dto.accountId,
        name: dto.name,
        min_balance: dto.minBalance,
        status: evaluation.status,
        created_at: new Date(),
      });
      await this.outbox.append(manager, [this.statusEvent(row, evaluation)]);
      return CampaignView.of(row);
    });
  }

  async update(id: string, dto: UpdateCampaignDto): Promise<CampaignView> {
    // The account lock comes before the campaign's row lock, in the order balance events take them.
    const found = await this.campaigns.find(id);
    if (!found) throw new DomainError(COMMON_ERRORS['not-found'], `No campaign ${id}`);
    return this.dataSource.transaction(async (manager) => {
      await this.funds.lockAccounts(manager, [found.account_id]);
      const current = await this.campaigns.lock(manager, id);
      if (!current) throw new DomainError(COMMON_ERRORS['not-found'], `No campaign ${id}`);
      const minBalance = dto.minBalance ?? current.min_balance;
      const known = await this.funds.find(current.account_id, manager);
      const evaluation = evaluateCampaign(BigInt(minBalance), known ? BigInt(known.balance) : undefined);
      const row = await this.campaigns.update(manager, id, {
        name: dto.name ?? current.name,
        minBalance,
        status: evaluation.status,
        at: new Date(),
      });
      if (row.status !== current.status) await this.outbox.append(manager, [this.statusEvent(row, evaluation)]);
      return CampaignView.of(row);
    });
  }

  /**
   * Re-evaluates the campaigns of the accounts whose balance a batch just applied (locked by the
   * statement that applied it), inside its transaction; flips and announces those that crossed
   * their threshold, each announcement in the trace of the balance event that caused it.
   */
  async onBalancesApplied(
    manager: EntityManager,
    applied: AppliedBalance[],
    traceOf: (accountId: string) => TraceContext | undefined,
  ): Promise<void> {
    const flips = applied.flatMap(({ accountId, balance, campaigns }) =>
      campaigns
        .map((campaign) => ({
          accountId,
          campaign,
          evaluation: evaluateCampaign(BigInt(campaign.min_balance), BigInt(balance)),
        }))
        .filter(({ campaign, evaluation }) => evaluation.status !== campaign.status),
    );
    if (flips.length === 0) return;
    const rows = await this.campaigns.setStatuses(
      manager,
      flips.map(({ campaign, evaluation }) => ({ id: campaign.id, status: evaluation.status })),
      new Date(),
    );
    const flipped = new Map(rows.map((row) => [row.id, row]));
    for (const { accountId } of applied) {
      const events = flips
        .filter((flip) => flip.accountId === accountId && flipped.has(flip.campaign.id))
        .map(({ campaign, evaluation }) => this.statusEvent(flipped.get(campaign.id) as CampaignRow, evaluation));
      await runInTrace(traceOf(accountId), () => this.outbox.append(manager, events));
    }
  }

  async get(id: string): Promise<CampaignView> {
    const row = await this.campaigns.find(id);
    if (!row) throw new DomainError(COMMON_ERRORS['not-found'], `No campaign ${id}`);
    return CampaignView.of(row);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.dataSource.transaction((manager) => this.campaigns.delete(manager, id));
    if (!deleted) throw new DomainError(COMMON_ERRORS['not-found'], `No campaign ${id}`);
  }

  list(
    filter: { accountId?: string; status?: CampaignStatus },
    limit: number,
    cursor?: string,
  ): Promise<Page<CampaignView>> {
    return this.campaigns.list(filter, limit, cursor);
  }

  private statusEvent(row: CampaignRow, evaluation: Evaluation): OutgoingEvent<CampaignStatusData> {
    return {
      type: EVENT_OF[row.status],
      subject: row.id,
      data: { id: row.id, accountId: row.account_id, name: row.name, reason: evaluation.reason },
    };
  }
}
