import { EXCHANGES } from '@app/contracts';
import { declareConsumerQueue } from '@app/messaging';
import type { TestEnvironment } from '@app/testing';
import { transformFileSync } from '@swc/core';
import amqplib from 'amqplib';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrations as adEngineMigrations } from '../../apps/ad-engine/src';
import { migrations as notificationsMigrations } from '../../apps/notifications/src';
import { migrations as transactionsMigrations } from '../../apps/transactions/src';
import { ACCOUNTS, CURRENCY, RunningChain } from './chain';
import { ChildProcesses, ChildProcessHandle, freePort, untilAnswering } from './child-processes';

const ROLES = ['api', 'relay', 'ad-engine', 'notifications', 'dispatcher'] as const;
const ROLES_SOURCE = path.join(__dirname, 'same-work');

/**
 * The same schema as the platform, tables and indexes alike: the apps' own migrations, applied
 * in order, so the comparison is about the code that uses them and nothing else.
 */
async function createSchema(client: Client): Promise<void> {
  const runner = {
    query: (sql: string, parameters?: unknown[]) => client.query(sql, parameters),
  } as unknown as QueryRunner;
  const apps: [string, (new () => MigrationInterface)[]][] = [
    ['transactions', transactionsMigrations],
    ['ad_engine', adEngineMigrations],
    ['notifications', notificationsMigrations],
  ];
  for (const [schema, list] of apps) {
    await client.query(`CREATE SCHEMA "${schema}"`);
    for (const Migration of list) await new Migration().up(runner);
  }
}

/** The platform's own queue declarations (dead-letter twins, quorum, delivery limit). */
async function declareTopology(rabbitmqUrl: string): Promise<void> {
  const connection = await amqplib.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    await declareConsumerQueue(channel, 'ad-engine.funds', [
      { exchange: EXCHANGES.transactions, pattern: 'account.balance_updated' },
    ]);
    await declareConsumerQueue(channel, 'notifications.deliveries', [
      { exchange: EXCHANGES.transactions, pattern: '#' },
      { exchange: EXCHANGES.adEngine, pattern: '#' },
      { exchange: EXCHANGES.notifications, pattern: '#' },
    ]);
  } finally {
    await connection.close();
  }
}

/**
 * The roles run as plain JavaScript, as the platform's bundles do (ts-node would add its compiler
 * to every role's memory): transpiled once with SWC into a temporary directory.
 */
function compileRoles(): string {
  const out = mkdtempSync(path.join(tmpdir(), 'bench-same-work-'));
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(ROLES_SOURCE).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))) {
    const { code } = transformFileSync(path.join(ROLES_SOURCE, file), {
      swcrc: false,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    writeFileSync(path.join(out, file.replace(/\.ts$/, '.js')), code);
  }
  return out;
}

/**
 * The hand-written chain with the same work and guarantees, one process per role (see
 * same-work/*.role.ts). Accounts are inserted directly; their opening deposits go through the
 * chain's API like every later transaction.
 */
export async function startSameWorkChain(
  root: string,
  environment: TestEnvironment,
  processes: ChildProcesses,
  webhookUrl: string,
): Promise<RunningChain> {
  const client = new Client({ connectionString: environment.databaseUrl });
  await client.connect();
  let accountIds: string[];
  try {
    await createSchema(client);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO transactions.accounts (id, name, currency)
       SELECT gen_random_uuid(), 'bench', $2 FROM generate_series(1, $1) RETURNING id`,
      [ACCOUNTS, CURRENCY],
    );
    accountIds = rows.map((row) => row.id);
    await client.query(
      `INSERT INTO notifications.endpoints (id, url, event_types, secret, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, ARRAY['transaction.created'], $2, now(), now())`,
      [webhookUrl, `whsec_${randomBytes(24).toString('base64')}`],
    );
  } finally {
    await client.end();
  }
  await declareTopology(environment.rabbitmqUrl);
  const compiled = compileRoles();
  const apiKey = randomBytes(16).toString('hex');
  const port = await freePort();
  const env = {
    DATABASE_URL: environment.databaseUrl,
    RABBITMQ_URL: environment.rabbitmqUrl,
    NODE_PATH: path.join(root, 'node_modules'),
  };
  const handles: ChildProcessHandle[] = ROLES.map((role) =>
    processes.spawnNode(
      role,
      path.join(compiled, `${role}.role.js`),
      role === 'api' ? { ...env, PORT: String(port), API_KEY: apiKey } : env,
      compiled,
    ),
  );
  const stop = async () => {
    await processes.stop(handles);
    rmSync(compiled, { recursive: true, force: true });
  };
  try {
    await untilAnswering(`http://127.0.0.1:${port}/`, handles[0], processes);
    processes.assertAlive(handles);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: 'same-work',
    apiUrl: `http://127.0.0.1:${port}`,
    apiKey,
    accountIds,
    processes: handles,
    databaseUrl: environment.databaseUrl,
    stop,
  };
}
