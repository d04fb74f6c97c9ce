import { PlatformModule } from '@app/bootstrap';
import { EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { EventRecordController } from '@app/messaging';
import { DynamicModule, Module } from '@nestjs/common';
import type { TransactionsConfig } from './config';
import { AccountsModule } from './accounts/accounts.module';
import { transactionsPersistence } from './db/persistence';
import { EventsController } from './events/events.controller';
import { TransactionsModule } from './transactions/transactions.module';

@Module({})
export class TransactionsAppModule {
  static register(config: TransactionsConfig): DynamicModule {
    return {
      module: TransactionsAppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'transactions',
          config,
          persistence: transactionsPersistence,
          messaging: { exchange: EXCHANGES.transactions, source: EVENT_SOURCES.transactions },
        }),
        AccountsModule,
        TransactionsModule,
      ],
      controllers: [EventsController, EventRecordController],
    };
  }
}
