import { PlatformModule } from '@app/bootstrap';
import { EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { DynamicModule, Module } from '@nestjs/common';
import type { NotificationsConfig } from './config';
import { notificationsPersistence } from './db/persistence';
import { DeliveryReadinessModule } from './deliveries/delivery-readiness.module';
import { FanOutModule } from './fan-out/fan-out.module';
import { SchemasModule } from './schemas/schemas.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { TraceModule } from './trace/trace.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class NotificationsAppModule {
  static register(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsAppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'notifications',
          config,
          persistence: notificationsPersistence,
          messaging: { exchange: EXCHANGES.notifications, source: EVENT_SOURCES.notifications },
        }),
        // Features, each with its own module; the graph between them points one way (down):
        // APIs -> fan-out -> deliveries -> secrets, archive -> endpoints.
        WebhooksModule,
        SubscriptionsModule,
        FanOutModule,
        DeliveryReadinessModule,
        SchemasModule,
        TraceModule,
      ],
    };
  }
}
