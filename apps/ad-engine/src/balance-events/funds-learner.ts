import { AccountBalanceUpdatedData, EventEnvelope } from '@app/contracts';
import { Inbox } from '@app/messaging';
import { childOf, currentTrace, TraceContext } from '@app/observability';
import { WriteBatcher } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CampaignsService } from '../campaigns/campaigns.service';
import { FundsRepository } from '../funds/funds.repository';
import { FUNDS_QUEUE } from './funds-queue';

/** The most balance events one transaction applies. */
const FUNDS_BATCH = 200;

/** A balance event as the learner applies it: checked data, and the trace it arrived in. */
interface BalanceEvent {
  id: string;
  data: AccountBalanceUpdatedData;
  trace: TraceContext | undefined;
}

/**
 * Learns an account's funds from balance events and re-evaluates its campaigns. Idempotent by
 * event id (inbox), tolerant of reordering (an older version never overwrites a newer one).
 * Events that arrive together are applied in one transaction (group commit): the accounts'
 * locks, then one statement for the inbox, the funds and the campaigns they decide, then the
 * campaigns that flip with their events. Within a batch only an account's newest version counts.
 */
@Injectable()
export class FundsLearner {
  private readonly batcher = new WriteBatcher<BalanceEvent, void>(async (events) => {
    await this.learn(events);
    return events.map(() => undefined);
  }, FUNDS_BATCH);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
    private readonly funds: FundsRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  /**
   * Applies one balance event, whether it came from the queue or from catching up; both have
   * checked it against the event catalogue first (the transport, and EventFeedCatchUp).
   */
  async apply(event: EventEnvelope): Promise<void> {
    const data = event.data as AccountBalanceUpdatedData;
    // The trace this event arrived in (the transport's, from the message) or, caught up from
    // GET /events, the one it was published in: the batch itself runs in another.
    await this.batcher.submit({ id: event.id, data, trace: currentTrace() ?? childOf(event.traceparent) });
  }

  private async learn(events: BalanceEvent[]): Promise<void> {
    const fresh = await this.dataSource.transaction(async (manager) => {
      // Every account of the batch at once, in key order, before any funds or campaign row (see
      // FundsRepository.lockAccounts), and in a statement of its own: the next one's snapshot
      // then sees every campaign committed before the locks were granted.
      await this.funds.lockAccounts(
        manager,
        events.map(({ data }) => data.accountId),
      );
      const result = await this.funds.applyBatch(manager, FUNDS_QUEUE, events);
      // A campaign event continues the trace of the balance event that moved its account.
      const traces = new Map(
        result.applied.map(({ accountId, version }) => [accountId, traceOf(events, accountId, version)]),
      );
      await this.campaigns.onBalancesApplied(manager, result.applied, (accountId) => traces.get(accountId));
      return result.fresh;
    });
    this.inbox.countDuplicates(FUNDS_QUEUE, events.length - fresh);
  }
}

const traceOf = (events: BalanceEvent[], accountId: string, version: number): TraceContext | undefined =>
  events.find(({ data }) => data.accountId.toLowerCase() === accountId && data.version === version)?.trace;
