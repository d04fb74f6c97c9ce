import { PlatformModule } from '@app/bootstrap';
import { EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import { DynamicModule, Module } from '@nestjs/common';
import type { TransactionsConfig } from './config';
import { transactionsPersistence } from './db/persistence';

@Module({})
export class TransactionsModule {
  static register(config: TransactionsConfig): DynamicModule {
    return {
      module: TransactionsModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'transactions',
          config,
          persistence: transactionsPersistence,
          messaging: { exchange: EXCHANGES.transactions, source: EVENT_SOURCES.transactions },
        }),
      ],
    };
  }
}
