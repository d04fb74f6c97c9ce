import { AccountBalanceUpdatedData, EventEnvelope } from '@app/contracts';
import { Inbox, PoisonMessageError } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service';
import { FundsRepository } from '../funds/funds.repository';
import { FUNDS_QUEUE } from './funds-queue';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the data against the contract; a message that breaks it is poison, not worth retrying. */
function balanceData(event: EventEnvelope): AccountBalanceUpdatedData {
  const data = event.data as Partial<AccountBalanceUpdatedData> | null;
  const valid =
    data !== null &&
    typeof data === 'object' &&
    typeof data.accountId === 'string' &&
    UUID.test(data.accountId) &&
    typeof data.balance === 'string' &&
    /^(0|[1-9][0-9]{0,18})$/.test(data.balance) &&
    typeof data.currency === 'string' &&
    /^[A-Z]{3}$/.test(data.currency) &&
    Number.isInteger(data.version) &&
    (data.version as number) > 0;
  if (!valid) throw new PoisonMessageError(`account.balance_updated ${event.id} does not match the contract`);
  return data as AccountBalanceUpdatedData;
}

/**
 * Learns an account's funds from one balance event and re-evaluates its campaigns. Idempotent by
 * event id (inbox), tolerant of reordering (an older version never overwrites a newer one).
 */
@Injectable()
export class FundsLearner {
  constructor(
    private readonly inbox: Inbox,
    private readonly funds: FundsRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  /** Applies one balance event, whether it came from the queue or from catching up. */
  async apply(event: EventEnvelope): Promise<void> {
    const data = balanceData(event);
    await this.inbox.processOnce(FUNDS_QUEUE, event, async (manager) => {
      const applied = await this.funds.applyIfNewer(manager, data);
      if (applied) await this.campaigns.onBalanceChanged(manager, data.accountId, BigInt(applied.balance));
    });
  }
}
