import type { AppDefinition } from '@app/bootstrap';
import { TransactionsAppModule } from './app.module';
import { TransactionsConfig, transactionsEnvSchema } from './config';

export const appDefinition: AppDefinition<TransactionsConfig> = {
  name: 'transactions',
  title: 'Transactions API',
  description:
    'Accounts and transactions on a ledger; every change is announced as a CloudEvent on the transactions.events exchange.',
  envSchema: transactionsEnvSchema,
  rootModule: (config) => TransactionsAppModule.register(config),
};
