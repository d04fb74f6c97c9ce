import { AccountBalanceUpdatedData, EventEnvelope } from '@app/contracts';
import { Inbox } from '@app/messaging';
import { childOf, currentTrace, runInTrace, TraceContext } from '@app/observability';
import { WriteBatcher } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Learns an account's funds from balance events and re-evaluates its campaigns. Idempotent by
 * event id (inbox), tolerant of reordering (an older version never overwrites a newer one).
 * Events that arrive together are applied in one transaction (group commit through the inbox).
 */
@Injectable()
export class FundsLearner {
  private readonly batcher = new WriteBatcher<BalanceEvent, boolean>(
    (events) => this.inbox.processBatch(FUNDS_QUEUE, events, (manager, fresh) => this.learn(manager, fresh)),
    FUNDS_BATCH,
  );

  constructor(
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

  private async learn(manager: EntityManager, events: BalanceEvent[]): Promise<void> {
    // One lock order for every batch (by account, versions in arrival order within one), so two
    // instances applying overlapping batches cannot deadlock on the funds rows.
    const byAccount = [...events].sort((a, b) => compare(a.data.accountId, b.data.accountId));
    // Every account of the batch at once, before any funds row (see FundsRepository.lockAccounts).
    await this.funds.lockAccounts(
      manager,
      byAccount.map(({ data }) => data.accountId),
    );
    for (const { data, trace } of byAccount) {
      // The campaign events this one causes continue its own trace, not the batch's first.
      await runInTrace(trace, async () => {
        const applied = await this.funds.applyIfNewer(manager, data);
        if (applied) await this.campaigns.onBalanceChanged(manager, data.accountId, BigInt(applied.balance));
      });
    }
  }
}
