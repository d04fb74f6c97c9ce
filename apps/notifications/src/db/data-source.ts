// Data source for the TypeORM CLI (npm run migration:generate -- notifications <Name>); the app itself opens
// its own through PersistenceModule.
import { buildDataSourceOptions } from '@app/persistence';
import { DataSource } from 'typeorm';
import { notificationsPersistence } from './persistence';

export default new DataSource(
  buildDataSourceOptions({
    appName: 'notifications-cli',
    url: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres',
    ...notificationsPersistence,
  }),
);
