import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { SecretsModule } from '../secrets/secrets.module';
import { EndpointsController } from './endpoints.controller';
import { EndpointsService } from './endpoints.service';

/** The webhooks API (CONTRACT.md section 7): endpoints, their secrets, tests and replays. */
@Module({
  imports: [DeliveriesModule, EndpointsModule, SecretsModule],
  controllers: [EndpointsController],
  providers: [EndpointsService],
})
export class WebhooksModule {}
