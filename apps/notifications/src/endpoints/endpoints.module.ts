import { Module } from '@nestjs/common';
import { EndpointsRepository } from './endpoints.repository';

/**
 * Where webhooks and subscriptions are kept, and their filters: the bottom of notifications'
 * features. Everything above (deliveries, fan-out, the APIs) reads targets through it; it depends
 * on none of them.
 */
@Module({
  providers: [EndpointsRepository],
  exports: [EndpointsRepository],
})
export class EndpointsModule {}
