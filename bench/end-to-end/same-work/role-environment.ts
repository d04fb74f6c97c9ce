/** What every role of the same-work chain reads from its environment; the bench sets all of it. */
export function roleEnvironment(): { databaseUrl: string; rabbitmqUrl: string; port: number; apiKey: string } {
  const { DATABASE_URL, RABBITMQ_URL, PORT, API_KEY } = process.env;
  if (!DATABASE_URL || !RABBITMQ_URL) throw new Error('DATABASE_URL and RABBITMQ_URL are required');
  return { databaseUrl: DATABASE_URL, rabbitmqUrl: RABBITMQ_URL, port: Number(PORT ?? 0), apiKey: API_KEY ?? '' };
}

/** Stops the role on the bench's SIGTERM after `close` (connections closed, nothing half-written). */
export function onTerminate(close: () => Promise<void>): void {
  process.once('SIGTERM', () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

/**
 * Connection options for the roles whose statements look rows up by id in tables that grow
 * (the relay's outbox, the dispatcher's deliveries): plans that walk the indexes whatever the
 * statistics, as the platform's relay has (OutboxClaim.prepareSession). With autovacuum off
 * nothing is analyzed, and a generic plan made while the table was small (during funding) looks
 * the ids up by reading the whole table (a hash join over a sequential or full index scan) for
 * the rest of the run: the dispatcher's RECORD_ATTEMPTS took 16.6-29 ms a call at 210-250
 * events/s, and the baseline's p99 swung between runs with it.
 */
export const INDEX_PLANS =
  '-c enable_seqscan=off -c enable_bitmapscan=off -c enable_hashjoin=off -c enable_mergejoin=off';
