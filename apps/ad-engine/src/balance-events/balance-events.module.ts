import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { FundsModule } from '../funds/funds.module';
import { BalanceEventsConsumer } from './balance-events.consumer';

/** Consumes `account.balance_updated` into the funds projection and campaign decisions. */
@Module({
  imports: [FundsModule, CampaignsModule],
  controllers: [BalanceEventsConsumer],
})
export class BalanceEventsModule {}
