import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { FundsModule } from '../funds/funds.module';
import { BalanceCatchUp } from './balance-catch-up';
import { BalanceEventsConsumer } from './balance-events.consumer';
import { FundsLearner } from './funds-learner';

/** Consumes `account.balance_updated` into the funds projection and campaign decisions. */
@Module({
  imports: [FundsModule, CampaignsModule],
  controllers: [BalanceEventsConsumer],
  providers: [FundsLearner, BalanceCatchUp],
})
export class BalanceEventsModule {}
