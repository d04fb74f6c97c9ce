import { APP_READINESS_CHECK } from '@app/bootstrap';
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DeliveryDispatcher } from './deliveries/delivery-dispatcher';
import { DeliveryHousekeeping } from './deliveries/delivery-housekeeping';
import { DeliveryStallCheck } from './deliveries/delivery-stall.check';
import { DeliveryMetrics } from './deliveries/delivery.metrics';
import { EndpointDisabler } from './endpoints/endpoint-disabler';
import { EndpointsController } from './endpoints/endpoints.controller';
import { EndpointsRepository } from './endpoints/endpoints.repository';
import { EndpointsService } from './endpoints/endpoints.service';
import { FailingStreak } from './endpoints/failing-streak';
import { ArchiveBackfill } from './fan-out/archive-backfill';
import { EventArchiveRepository } from './fan-out/event-archive.repository';
import { EventFanOutConsumer } from './fan-out/event-fan-out.consumer';
import { FanOutRepository } from './fan-out/fan-out.repository';
import { ArchiveReplay } from './fan-out/archive-replay';
import { SecretResealer } from './secrets/secret-resealer';
import { SubscriptionQueues } from './subscriptions/subscription-queues';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions/subscriptions.repository';
import { SubscriptionsService } from './subscriptions/subscriptions.service';
import { WebhookSecrets } from './secrets/webhook-secrets';

/**
 * Webhook endpoints and event-bus subscriptions, fan-out of every platform event into
 * deliveries, and the dispatcher that attempts them (HTTP POSTs and forwards to queues). Global only so that readiness (in the platform module) sees the stall check.
 */
@Global()
@Module({
  imports: [TerminusModule],
  controllers: [EndpointsController, SubscriptionsController, DeliveriesController, EventFanOutConsumer],
  providers: [
    EndpointsService,
    EndpointsRepository,
    EndpointDisabler,
    DeliveriesRepository,
    DeliveryDispatcher,
    DeliveryHousekeeping,
    FailingStreak,
    DeliveryMetrics,
    DeliveryStallCheck,
    EventArchiveRepository,
    ArchiveBackfill,
    FanOutRepository,
    ArchiveReplay,
    SubscriptionsService,
    SubscriptionsRepository,
    SubscriptionQueues,
    WebhookSecrets,
    SecretResealer,
    { provide: APP_READINESS_CHECK, useExisting: DeliveryStallCheck },
  ],
  exports: [APP_READINESS_CHECK],
})
export class WebhooksModule {}
