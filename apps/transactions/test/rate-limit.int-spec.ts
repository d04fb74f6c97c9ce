import { useTestApp } from '@app/testing';
import request from 'supertest';
import { appDefinition } from '../src/app.definition';

describe('RATE_LIMIT_PER_MINUTE', () => {
  const setup = useTestApp(appDefinition, { RATE_LIMIT_PER_MINUTE: '3', API_KEYS: 'key-a,key-b,key-c' });

  it('answers 429 with Retry-After past the limit, counted per API key', async () => {
    const asKey = (key: string) => request(setup.app.url).get('/accounts').set('authorization', `Bearer ${key}`);
    for (let i = 0; i < 3; i++) expect((await asKey('key-a')).status).toBe(200);
    const limited = await asKey('key-a');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.type).toMatch(/rate-limited$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await asKey('key-b')).status).toBe(200);
  });

  it('counts one budget per API key across every route', async () => {
    const as = (path: string) => request(setup.app.url).get(path).set('authorization', 'Bearer key-c');
    expect((await as('/accounts')).status).toBe(200);
    expect((await as('/transactions')).status).toBe(200);
    expect((await as('/events')).status).toBe(200);
    expect((await as('/accounts')).status).toBe(429);
  });

  it('never limits health checks and metrics', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await request(setup.app.url).get('/health/ready')).status).toBe(200);
      expect((await request(setup.app.url).get('/metrics')).status).toBe(200);
    }
  });
});
