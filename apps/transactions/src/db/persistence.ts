import type { PersistenceModuleOptions } from '@app/persistence';
import { migrations } from '../migrations';

/** The tables this app owns, in its own PostgreSQL schema. */
export const transactionsPersistence: Omit<PersistenceModuleOptions, 'appName'> = {
  schema: 'transactions',
  entities: [],
  migrations,
};
