import { PlatformModule } from '@app/bootstrap';
import { EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { DynamicModule, Module } from '@nestjs/common';
import type { NotificationsConfig } from './config';
import { notificationsPersistence } from './db/persistence';
import { SchemasModule } from './schemas/schemas.module';
import { TraceModule } from './trace/trace.module';
import { WebhooksModule } from './webhooks.module';

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
        WebhooksModule,
        SchemasModule,
        TraceModule,
      ],
    };
  }
}
