import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';

export interface AppDataSourceSettings {
  /** Used as PostgreSQL `application_name`, visible in pg_stat_activity. */
  appName: string;
  url: string;
  /** The app's own schema (`transactions`, `ad_engine`, `notifications`). */
  schema: string;
  // Listed as classes, not globs: globs match nothing inside a webpack bundle.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/**
 * TypeORM options for one app: its own schema first on the search path, its migrations table
 * inside that schema, and never `synchronize`: the schema changes only through migrations.
 */
export function buildDataSourceOptions(settings: AppDataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    applicationName: settings.appName,
    extra: {
      max: settings.poolSize ?? 10,
      options: `-c search_path=${settings.schema},public`,
    },
  };
}
