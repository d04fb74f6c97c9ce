import { ConfigError, loadConfig } from '@app/config';
import { randomBytes } from 'node:crypto';
import { NotificationsConfig, notificationsEnvSchema } from './config';

const KEY = randomBytes(32).toString('base64');

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig<NotificationsConfig>(notificationsEnvSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('notifications config', () => {
  it('leaves the secrets keys unset by default (development: the built-in key) and caps 16 attempts per endpoint', () => {
    const config = loadConfig<NotificationsConfig>(notificationsEnvSchema, {});
    expect(config.WEBHOOK_SECRETS_KEY).toBeUndefined();
    expect(config.WEBHOOK_SECRETS_KEY_PREVIOUS).toBeUndefined();
    expect(config.WEBHOOK_ENDPOINT_CONCURRENCY).toBe(16);
  });

  it('takes a key of 32 bytes in base64, and a previous one', () => {
    const previous = randomBytes(32).toString('base64');
    const config = loadConfig<NotificationsConfig>(notificationsEnvSchema, {
      WEBHOOK_SECRETS_KEY: KEY,
      WEBHOOK_SECRETS_KEY_PREVIOUS: previous,
    });
    expect(config).toMatchObject({ WEBHOOK_SECRETS_KEY: KEY, WEBHOOK_SECRETS_KEY_PREVIOUS: previous });
  });

  it.each(['WEBHOOK_SECRETS_KEY', 'WEBHOOK_SECRETS_KEY_PREVIOUS'])('refuses a malformed %s, naming it', (variable) => {
    expect(errorOf({ [variable]: randomBytes(16).toString('base64') })).toBe(
      `${variable}: expected 32 bytes in base64, e.g. the output of openssl rand -base64 32`,
    );
  });

  it('requires WEBHOOK_SECRETS_KEY with NODE_ENV=production', () => {
    expect(errorOf({ NODE_ENV: 'production', API_KEYS: 'k' })).toBe(
      'WEBHOOK_SECRETS_KEY: required when NODE_ENV=production (32 bytes in base64, e.g. the output of openssl rand -base64 32)',
    );
    expect(
      loadConfig<NotificationsConfig>(notificationsEnvSchema, {
        NODE_ENV: 'production',
        API_KEYS: 'k',
        WEBHOOK_SECRETS_KEY: KEY,
      }).WEBHOOK_SECRETS_KEY,
    ).toBe(KEY);
  });

  it.each(['0', '129', '1.5', 'many'])('refuses WEBHOOK_ENDPOINT_CONCURRENCY=%s', (value) => {
    expect(errorOf({ WEBHOOK_ENDPOINT_CONCURRENCY: value })).toBe(
      'WEBHOOK_ENDPOINT_CONCURRENCY: expected a whole number from 1 to 128',
    );
  });

  it('asks the ad engine on localhost:3001 by default, and refuses an AD_ENGINE_URL that is no URL, naming it', () => {
    expect(loadConfig<NotificationsConfig>(notificationsEnvSchema, {}).AD_ENGINE_URL).toBe('http://localhost:3001');
    expect(errorOf({ AD_ENGINE_URL: 'ad-engine' })).toBe(
      'AD_ENGINE_URL: expected the ad-engine service URL, e.g. http://ad-engine:3001',
    );
  });
});
