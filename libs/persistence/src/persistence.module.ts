import { PLATFORM_CONFIG, PlatformConfig } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppDataSourceSettings, buildDataSourceOptions } from './data-source-options';
import { openDataSource } from './open-data-source';
import { PAGE_CURSORS_SCHEMA, PageCursors } from './paging/page-cursors';

export type PersistenceModuleOptions = Omit<AppDataSourceSettings, 'url'>;

/**
 * PostgreSQL through TypeORM for one app. The data source is opened by {@link openDataSource}
 * (schema, advisory-locked migrations unless DB_MIGRATIONS_RUN=false), so by the time the app
 * listens its schema is current. It also provides the app's {@link PageCursors} to every module.
 */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      // Every feature's repository pages with the app's cursors.
      global: true,
      providers: [{ provide: PAGE_CURSORS_SCHEMA, useValue: options.schema }, PageCursors],
      exports: [PageCursors],
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) => ({
            ...buildDataSourceOptions({ ...options, url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
            // openDataSource does its own bounded retry with a clear error; Nest's would log stacks.
            retryAttempts: 0,
            manualInitialization: false,
            startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
            runMigrations: config.DB_MIGRATIONS_RUN,
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            const { startupTimeoutMs, runMigrations, ...typeorm } = dataSourceOptions as typeof dataSourceOptions & {
              startupTimeoutMs: number;
              runMigrations: boolean;
            };
            return openDataSource(typeorm, { startupTimeoutMs, runMigrations });
          },
        }),
      ],
    };
  }
}
