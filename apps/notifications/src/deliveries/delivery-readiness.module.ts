import { APP_READINESS_CHECK } from '@app/bootstrap';
import { Global, Module } from '@nestjs/common';
import { DeliveriesModule } from './deliveries.module';
import { DeliveryStallCheck } from './delivery-stall.check';

/**
 * Readiness (in the platform module, below every feature) asks whether the dispatcher is stalled.
 * Global for that one token only, so no feature reaches another through it.
 */
@Global()
@Module({
  imports: [DeliveriesModule],
  providers: [{ provide: APP_READINESS_CHECK, useExisting: DeliveryStallCheck }],
  exports: [APP_READINESS_CHECK],
})
export class DeliveryReadinessModule {}
