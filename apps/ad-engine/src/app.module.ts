import { PlatformModule } from '@app/bootstrap';
import { EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { EventRecordController } from '@app/messaging';
import { DynamicModule, Module } from '@nestjs/common';
import type { AdEngineConfig } from './config';
import { BalanceEventsModule } from './balance-events/balance-events.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { adEnginePersistence } from './db/persistence';

@Module({})
export class AdEngineAppModule {
  static register(config: AdEngineConfig): DynamicModule {
    return {
      module: AdEngineAppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'ad-engine',
          config,
          persistence: adEnginePersistence,
          messaging: { exchange: EXCHANGES.adEngine, source: EVENT_SOURCES.adEngine },
        }),
        CampaignsModule,
        BalanceEventsModule,
      ],
      // What the engine kept of an event (its inbox, its campaign.* outbox), read by traces.
      controllers: [EventRecordController],
    };
  }
}
