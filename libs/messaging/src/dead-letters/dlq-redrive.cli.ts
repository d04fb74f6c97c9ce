/**
 * Moves dead-lettered messages from `<queue>.dlq` back into `<queue>` (see redriveDeadLetters).
 *
 *   npm run dlq:redrive -- <queue> [--limit N]                       from a checkout
 *   node dist/apps/<app>/dlq-redrive.js <queue> [--limit N]           from a build or an image:
 *   docker compose exec notifications node dist/apps/notifications/dlq-redrive.js notifications.fan-out
 *
 * Reads RABBITMQ_URL as the apps do (a vhost in its path is honoured). Exit codes: 0 done,
 * 1 refused or failed (nothing is lost: unconfirmed messages stay in the DLQ), 2 usage.
 */
import { baseEnvSchema, redactUrl } from '@app/config';
import amqplib from 'amqplib';
import { parseArgs } from 'node:util';
import { redriveDeadLetters, RedriveRefusedError } from './redrive-dead-letters';

const USAGE =
  'usage: dlq:redrive <queue> [--limit N]   (moves <queue>.dlq back into <queue>; RABBITMQ_URL names the broker)';

function fail(code: number, message: string): never {
  process.stderr.write(`dlq:redrive: ${message}\n`);
  process.exit(code);
}

function parseCommandLine(): { queue: string; limit?: number } {
  let parsed;
  try {
    parsed = parseArgs({ options: { limit: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    return fail(2, `${(error as Error).message}\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) fail(2, USAGE);
  if (values.limit !== undefined && !/^[1-9][0-9]{0,8}$/.test(values.limit)) {
    fail(2, `--limit must be a positive integer, got ${values.limit}\n${USAGE}`);
  }
  return { queue: positionals[0], limit: values.limit === undefined ? undefined : Number(values.limit) };
}

async function main(): Promise<void> {
  const { queue, limit } = parseCommandLine();
  const url = baseEnvSchema.shape.RABBITMQ_URL.safeParse(process.env.RABBITMQ_URL || undefined);
  if (!url.success) fail(1, `RABBITMQ_URL: ${url.error.issues[0].message}`);
  let connection;
  try {
    connection = await amqplib.connect(url.data);
  } catch (error) {
    fail(1, `RABBITMQ_URL: cannot connect to RabbitMQ at ${redactUrl(url.data)}: ${(error as Error).message}`);
  }
  try {
    const { moved, found, deadLetterQueue } = await redriveDeadLetters(connection, queue, { limit });
    process.stdout.write(`moved ${moved} of ${found} message(s) from ${deadLetterQueue} back to ${queue}\n`);
  } catch (error) {
    const prefix = error instanceof RedriveRefusedError ? 'refused' : 'failed';
    process.stderr.write(`dlq:redrive: ${prefix}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

void main();
