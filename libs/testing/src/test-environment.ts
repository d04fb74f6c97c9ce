import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { RabbitMqAdmin } from './rabbitmq-admin';

const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A PostgreSQL database and a RabbitMQ vhost that belong to one test file and nobody else. */
export interface TestEnvironment {
  name: string;
  databaseUrl: string;
  rabbitmqUrl: string;
  vhost: string;
  rabbitmq: RabbitMqAdmin;
  /** Environment variables that point an app at this database and vhost. */
  env: Record<string, string>;
  teardown(): Promise<void>;
}

/**
 * Creates a fresh database and vhost with a unique name, so test files (and concurrent runs on
 * one machine) never see each other's rows or messages. Drop them with `teardown()`.
 */
export async function createTestEnvironment(): Promise<TestEnvironment> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const rabbitmq = RabbitMqAdmin.fromEnv();
  await rabbitmq.createVhost(name);

  const databaseUrl = withPath(ADMIN_DATABASE_URL, `/${name}`);
  const rabbitmqUrl = withPath(RABBITMQ_URL, `/${name}`);
  return {
    name,
    databaseUrl,
    rabbitmqUrl,
    vhost: name,
    rabbitmq,
    env: { DATABASE_URL: databaseUrl, RABBITMQ_URL: rabbitmqUrl },
    teardown: async () => {
      await rabbitmq.deleteVhost(name).catch(() => undefined);
      const cleanup = new Client({ connectionString: ADMIN_DATABASE_URL });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

function withPath(url: string, path: string): string {
  const parsed = new URL(url);
  parsed.pathname = path;
  return parsed.toString();
}
