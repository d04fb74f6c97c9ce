import { ConfigError } from './config-error';
import { baseEnvSchema, portSchema } from './env-schema';
import { loadConfig } from './load-config';

const schema = baseEnvSchema.extend({ PORT: portSchema(3000) });

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the contract defaults to an empty environment', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://postgres:postgres@localhost:5432/postgres',
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
      API_KEYS: [],
      LOG_LEVEL: 'info',
      DB_MIGRATIONS_RUN: true,
      RATE_LIMIT_PER_MINUTE: 0,
      TRUST_PROXY: [],
      MAX_EVENT_BYTES: 262_144,
    });
    expect(config.SENTRY_DSN).toBeUndefined();
    expect(config.EVENT_RETENTION).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig(schema, { PORT: '', API_KEYS: '' }).PORT).toBe(3000);
  });

  it('parses typed values', () => {
    const config = loadConfig(schema, {
      PORT: '8080',
      API_KEYS: ' a , b,,c ',
      DB_MIGRATIONS_RUN: 'false',
      EVENT_RETENTION: '365d',
      RATE_LIMIT_PER_MINUTE: '120',
      TRUST_PROXY: ' 10.0.0.0/8, fd00::/8,127.0.0.1 ',
    });
    expect(config.PORT).toBe(8080);
    expect(config.API_KEYS).toEqual(['a', 'b', 'c']);
    expect(config.DB_MIGRATIONS_RUN).toBe(false);
    expect(config.EVENT_RETENTION).toBe(365 * 86_400_000);
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(120);
    expect(config.TRUST_PROXY).toEqual(['10.0.0.0/8', 'fd00::/8', '127.0.0.1']);
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', 'postgres://'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL', 'postgres://'],
    [{ RABBITMQ_URL: 'http://localhost' }, 'RABBITMQ_URL', 'amqp://'],
    [{ PORT: 'eighty' }, 'PORT', 'port number'],
    [{ PORT: '70000' }, 'PORT', 'port number'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'one of'],
    [{ DB_MIGRATIONS_RUN: 'yes' }, 'DB_MIGRATIONS_RUN', '"true" or "false"'],
    [{ MAX_EVENT_BYTES: '256KiB' }, 'MAX_EVENT_BYTES', 'number of bytes'],
    [{ MAX_EVENT_BYTES: '100' }, 'MAX_EVENT_BYTES', 'number of bytes'],
    [{ EVENT_RETENTION: 'a year' }, 'EVENT_RETENTION', 'duration'],
    [{ TRUST_PROXY: 'proxy.internal' }, 'TRUST_PROXY', 'CIDRs'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY', 'CIDRs'],
    [{ TRUST_PROXY: '10.0.0.0/8,0x7f.1' }, 'TRUST_PROXY', 'CIDRs'],
    [{ TRUST_PROXY: 'loopback' }, 'TRUST_PROXY', 'CIDRs'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', 'production'],
    [{ NODE_ENV: 'production' }, 'API_KEYS', 'required when NODE_ENV=production'],
  ])('rejects %j naming %s', (env, variable, expectation) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(expectation);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
  });
});
