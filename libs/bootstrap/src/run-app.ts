import { ConfigError, loadConfig, PlatformConfig, StartupError } from '@app/config';
import { Logger, type INestApplication } from '@nestjs/common';
import type { AppDefinition } from './app-definition';
import { createApp } from './create-app';
import { limitHeapGrowth } from './heap-growth';

/**
 * The `main.ts` of every app: validate config, boot, listen, and shut down gracefully on
 * SIGTERM/SIGINT. Anything that stops the boot ends the process with exit code 1 and one line on
 * stderr naming the cause; never a stack trace.
 */
export async function runApp<C extends PlatformConfig>(definition: AppDefinition<C>): Promise<void> {
  const fail = (line: string): never => {
    process.stderr.write(`${definition.name}: ${line}\n`);
    process.exit(1);
  };
  limitHeapGrowth();

  let config: C;
  try {
    config = loadConfig<C>(definition.envSchema, process.env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(`invalid configuration: ${error.message}`);
    throw error;
  }

  // Installed before boot: node as PID 1 (in a container) ignores signals it has no handler for,
  // and boot may wait up to STARTUP_TIMEOUT_MS for PostgreSQL and RabbitMQ.
  // `on`, not `once`: a Ctrl-C under `npm start` arrives twice (from the terminal, and forwarded
  // by scripts/start.js), and a second signal with no handler left would kill the drain half-way.
  let app: INestApplication | undefined;
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      if (app) void shutDown(app, config.SHUTDOWN_TIMEOUT_MS);
      else process.exit(0);
    });
  }
  try {
    app = await createApp(definition, config);
    await app.listen(config.PORT);
    // Every interface: the address a newcomer's curl and a container's health check reach.
    Logger.log(`listening on http://0.0.0.0:${config.PORT} (docs at /docs)`, definition.name);
  } catch (error) {
    if (error instanceof StartupError) return fail(`cannot start: ${error.message}`);
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') return fail(`cannot start: PORT: ${config.PORT} is already in use`);
    return fail(`cannot start: ${(err.message ?? String(error)).split('\n')[0]}`);
  }
}

/**
 * Stops taking HTTP requests and messages, lets in-flight work finish, closes the database and
 * broker connections, and exits 0. If draining hangs past the timeout the process exits 1
 * anyway: unacked messages are redelivered, so ending is safe.
 */
async function shutDown(app: INestApplication, timeoutMs: number): Promise<void> {
  setTimeout(() => process.exit(1), timeoutMs + 2_000).unref();
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
