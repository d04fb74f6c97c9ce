import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { EventFanOutConsumer } from './event-fan-out.consumer';
import { FanOutRepository } from './fan-out.repository';

/** Every event of the three exchanges, fanned out into deliveries for the targets that want it. */
@Module({
  imports: [DeliveriesModule, EndpointsModule],
  controllers: [EventFanOutConsumer],
  providers: [FanOutRepository],
})
export class FanOutModule {}
