import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ArchiveModule } from '../archive/archive.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { SecretsModule } from '../secrets/secrets.module';
import { ArchiveReplay } from './archive-replay';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryAttempt } from './delivery-attempt';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { DeliveryHousekeeping } from './delivery-housekeeping';
import { DeliveryStallCheck } from './delivery-stall.check';
import { DeliveryMetrics } from './delivery.metrics';
import { EndpointDisabler } from './endpoint-disabler';
import { EndpointHealth } from './endpoint-health';
import { FailingStreak } from './failing-streak';
import { SubscriptionQueues } from './subscription-queues';

/**
 * The delivery engine: the delivery log, the dispatcher that attempts due deliveries (signed POSTs
 * to webhooks, confirmed forwards to subscriptions' queues) with retries, the circuit breaker and
 * the failing streak, replays from the archive, and housekeeping. Its public surface is what the
 * fan-out and the APIs above it need: the log, the dispatcher, the subscription queues, replay.
 */
@Module({
  imports: [TerminusModule, EndpointsModule, SecretsModule, ArchiveModule],
  controllers: [DeliveriesController],
  providers: [
    DeliveriesRepository,
    DeliveryDispatcher,
    DeliveryAttempt,
    EndpointHealth,
    DeliveryHousekeeping,
    DeliveryMetrics,
    DeliveryStallCheck,
    EndpointDisabler,
    FailingStreak,
    SubscriptionQueues,
    ArchiveReplay,
  ],
  exports: [DeliveriesRepository, DeliveryDispatcher, SubscriptionQueues, ArchiveReplay, DeliveryStallCheck],
})
export class DeliveriesModule {}
