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
