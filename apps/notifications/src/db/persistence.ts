import type { PersistenceModuleOptions } from '@app/persistence';
import { migrations } from '../migrations';

/** The tables this app owns, in its own PostgreSQL schema. */
export const notificationsPersistence: Omit<PersistenceModuleOptions, 'appName'> = {
  schema: 'notifications',
  entities: [],
  migrations,
};
