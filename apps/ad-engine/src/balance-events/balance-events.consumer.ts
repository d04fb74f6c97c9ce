import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { ConsumeEvent } from '@app/messaging';
import { Controller } from '@nestjs/common';
import { FundsLearner } from './funds-learner';
import { FUNDS_QUEUE } from './funds-queue';

/**
 * Balance events from RabbitMQ. They are the only events the engine needs: each carries the
 * balance after a change, with its version.
 */
@Controller()
export class BalanceEventsConsumer {
  constructor(private readonly learner: FundsLearner) {}

  @ConsumeEvent('account.balance_updated', { exchange: EXCHANGES.transactions, queue: FUNDS_QUEUE, prefetch: 200 })
  onBalanceUpdated(event: EventEnvelope): Promise<void> {
    return this.learner.apply(event);
  }
}
