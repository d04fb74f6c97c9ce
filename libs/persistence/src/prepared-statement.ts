import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * A statement of a hot path, sent as a named prepared statement: each pooled connection parses
 * and plans it once, then only binds and executes it, where `manager.query` would have it parsed
 * and planned again on every call (and pay TypeORM's per-query bookkeeping). It runs on the
 * connection of the caller's transaction, or on any pooled connection outside one.
 *
 * The name identifies the text on every connection of the app: one name, one text.
 */
export class PreparedStatement<Row extends QueryResultRow = QueryResultRow> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** Runs in `manager`'s transaction, or on the data source's pool when given the data source. */
  async run(on: EntityManager | DataSource, values: unknown[]): Promise<Row[]> {
    const connection = await connectionOf(on);
    const result = await connection.query<Row>({ name: this.name, text: this.text, values });
    return result.rows;
  }
}

/** The transaction's connection (TypeORM's runner is connected once the transaction began), or the pool. */
async function connectionOf(on: EntityManager | DataSource): Promise<Pool | PoolClient> {
  const runner = 'queryRunner' in on ? (on.queryRunner as PostgresQueryRunner | undefined) : undefined;
  if (!runner) {
    const dataSource = 'driver' in on ? on : on.connection;
    return (dataSource.driver as PostgresDriver).master as Pool;
  }
  if (!runner.isTransactionActive) {
    throw new Error('PreparedStatement.run takes the EntityManager of an open transaction, or the DataSource');
  }
  return (await runner.connect()) as PoolClient;
}
