import type { PersistenceModuleOptions } from '@app/persistence';
import { migrations } from '../migrations';

/** The tables this app owns, in its own PostgreSQL schema. */
export const adEnginePersistence: Omit<PersistenceModuleOptions, 'appName'> = {
  schema: 'ad_engine',
  entities: [],
  migrations,
};
