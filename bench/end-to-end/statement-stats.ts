import { Client } from 'pg';

export interface StatementFigures {
  available: boolean;
  /** Why not, when not available. */
  reason?: string;
  /** Statements (every process of the chain, BEGIN and COMMIT included) per 201 answered. */
  perTransaction?: number;
  top?: { calls: number; totalMs: number; meanMs: number; query: string }[];
}

async function withClient<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether pg_stat_statements can count, that is whether the cluster preloads it (it needs
 * `shared_preload_libraries`, and so a restart: the bench never changes the cluster's
 * configuration). Answers why not otherwise.
 */
export async function statementStatsAvailability(databaseUrl: string): Promise<StatementFigures> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ libraries: string }>(
      "SELECT current_setting('shared_preload_libraries') AS libraries",
    );
    if (!rows[0].libraries.split(',').some((library) => library.trim() === 'pg_stat_statements')) {
      return { available: false, reason: 'pg_stat_statements is not in shared_preload_libraries' };
    }
    return { available: true };
  });
}

/**
 * Creates the extension in the chain's database (a fresh one each round) and forgets that
 * database's statements, and only that database's: others may be measuring too.
 */
export async function resetStatementStats(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query(
      `SELECT pg_stat_statements_reset(0::oid, (SELECT oid FROM pg_database WHERE datname = current_database()), 0::bigint)`,
    );
  });
}

/** Statements since the reset, per HTTP transaction, and the ten that took the most time. */
export async function readStatementStats(databaseUrl: string, transactions: number): Promise<StatementFigures> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ calls: string; total: number; mean: number; query: string }>(
      `SELECT calls::text AS calls, total_exec_time AS total, mean_exec_time AS mean, query FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_activity%'
       ORDER BY total_exec_time DESC`,
    );
    const calls = rows.reduce((sum, row) => sum + Number(row.calls), 0);
    return {
      available: true,
      perTransaction: Number((calls / Math.max(1, transactions)).toFixed(2)),
      top: rows.slice(0, 10).map((row) => ({
        calls: Number(row.calls),
        totalMs: Number(row.total.toFixed(1)),
        meanMs: Number(row.mean.toFixed(3)),
        query: row.query.replace(/\s+/g, ' ').slice(0, 300),
      })),
    };
  });
}
