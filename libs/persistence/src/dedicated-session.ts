import { Client } from 'pg';

export interface DedicatedSessionOptions {
  databaseUrl: string;
  /** Shown in pg_stat_activity: who holds the lock. */
  applicationName: string;
  /** Bounds every query on the session; unset: none. */
  queryTimeoutMs?: number;
}

/**
 * A PostgreSQL connection of its own, outside the pool, for what lives exactly as long as a
 * session: a session advisory lock (a leader, an instance's identity) and LISTEN. TCP keep-alive
 * makes a dead server or network noticed; `onLost` hears of it, and the caller opens another
 * session (the lock went with the old one, which is the point: so does a killed process's).
 */
export async function openDedicatedSession(
  options: DedicatedSessionOptions,
  onLost: (error: Error) => void,
): Promise<Client> {
  const client = new Client({
    connectionString: options.databaseUrl,
    application_name: options.applicationName,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
  });
  client.on('error', onLost);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** A session advisory lock's key: a name (hashed by PostgreSQL) or a (namespace, id) pair. */
export type AdvisoryLockKey = { name: string } | { namespace: number; id: number };

/** Takes the lock if it is free; it is held until the session ends (or is unlocked). */
export async function tryAdvisoryLock(client: Client, key: AdvisoryLockKey): Promise<boolean> {
  const { rows } =
    'name' in key
      ? await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key.name])
      : await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
          key.namespace,
          key.id,
        ]);
  return rows[0].locked;
}
