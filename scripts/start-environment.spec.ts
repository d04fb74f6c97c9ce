import { APPS, appEnvironment, sharedEnvironment } from './start-environment';

describe('the environment npm start gives the apps', () => {
  it('reads .env, and lets the real environment win over it', () => {
    const shared = sharedEnvironment('LOG_LEVEL=debug\nAPI_KEYS="a,b" # two keys\nRATE_LIMIT_PER_MINUTE=60\n', {
      LOG_LEVEL: 'warn',
    });
    expect(shared.env).toMatchObject({ LOG_LEVEL: 'warn', API_KEYS: 'a,b', RATE_LIMIT_PER_MINUTE: '60' });
  });

  it('starts the apps on their own ports, and points the others at them', () => {
    const defaults = sharedEnvironment(undefined, {});
    expect(defaults.ports).toEqual({ transactions: 3000, 'ad-engine': 3001, notifications: 3002 });
    expect(defaults.env).toMatchObject({
      TRANSACTIONS_URL: 'http://localhost:3000',
      AD_ENGINE_URL: 'http://localhost:3001',
    });

    const moved = sharedEnvironment('AD_ENGINE_PORT=4001\n', { TRANSACTIONS_PORT: '4000' });
    expect(moved.ports).toEqual({ transactions: 4000, 'ad-engine': 4001, notifications: 3002 });
    expect(moved.env).toMatchObject({
      TRANSACTIONS_URL: 'http://localhost:4000',
      AD_ENGINE_URL: 'http://localhost:4001',
    });
    expect(sharedEnvironment(undefined, { TRANSACTIONS_URL: 'http://tx:1' }).env.TRANSACTIONS_URL).toBe('http://tx:1');
  });

  it('gives each app its PORT, never a shared one', () => {
    const shared = sharedEnvironment('PORT=9999\n', { NOTIFICATIONS_PORT: '4002' });
    expect(APPS.map((app) => appEnvironment(shared, app).PORT)).toEqual(['3000', '3001', '4002']);
  });

  it('lets webhooks target private addresses only in development mode', () => {
    expect(sharedEnvironment(undefined, {}).env.WEBHOOK_ALLOW_PRIVATE_TARGETS).toBeUndefined();
    expect(sharedEnvironment('WEBHOOK_ALLOW_PRIVATE_TARGETS=false\n', {}, { dev: true }).env).toMatchObject({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
  });
});
