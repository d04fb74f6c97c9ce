import { AccountBalanceUpdatedData, EventEnvelope, EXCHANGES } from '@app/contracts';
import { ConsumeEvent, Inbox, PoisonMessageError } from '@app/messaging';
import { Controller } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service';
import { FundsRepository } from '../funds/funds.repository';

export const FUNDS_QUEUE = 'ad-engine.funds';

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
 * Learns each account's funds from its balance events (the only events it needs: they carry the
 * balance after every change) and re-evaluates the account's campaigns. Idempotent by event id
 * (inbox) and tolerant of reordering (an older version never overwrites a newer one).
 */
@Controller()
export class BalanceEventsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly funds: FundsRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  @ConsumeEvent('account.balance_updated', { exchange: EXCHANGES.transactions, queue: FUNDS_QUEUE })
  async onBalanceUpdated(event: EventEnvelope): Promise<void> {
    const data = balanceData(event);
    await this.inbox.processOnce(FUNDS_QUEUE, event, async (manager) => {
      const applied = await this.funds.applyIfNewer(manager, data);
      if (applied) await this.campaigns.onBalanceChanged(manager, data.accountId, BigInt(applied.balance));
    });
  }
}
