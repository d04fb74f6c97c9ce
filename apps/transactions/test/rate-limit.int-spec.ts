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

/** CONTRACT.md section 9: failed authentication is throttled per client address, always. */
describe('failed authentication', () => {
  const wrongKey = (url: string, forwardedFor?: string) => {
    const test = request(url).get('/accounts').set('authorization', 'Bearer wrong-key');
    return forwardedFor ? test.set('x-forwarded-for', forwardedFor) : test;
  };

  const expectThrottled = (response: request.Response) => {
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toMatch(/rate-limited$/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  };

  describe('with TRUST_PROXY unset', () => {
    const setup = useTestApp(appDefinition, { API_KEYS: 'right-key' });

    it('answers the 21st failure in a minute from one address with 429, whatever X-Forwarded-For says', async () => {
      for (let i = 1; i <= 20; i++) {
        expect((await wrongKey(setup.app.url, `198.51.100.${i}`)).status).toBe(401);
      }
      expectThrottled(await wrongKey(setup.app.url, '198.51.100.21'));
      // A missing key is a failure too; a right key from the same address still passes, so a
      // neighbour behind the same NAT is not locked out by someone else's bad key.
      expectThrottled(await request(setup.app.url).get('/accounts'));
      expect((await request(setup.app.url).get('/accounts').set('authorization', 'Bearer right-key')).status).toBe(200);
      expect((await request(setup.app.url).get('/health/live')).status).toBe(200);
    });
  });

  describe('with TRUST_PROXY naming the proxy', () => {
    const setup = useTestApp(appDefinition, { API_KEYS: 'right-key', TRUST_PROXY: '127.0.0.1/32' });

    it('counts failures per X-Forwarded-For client address', async () => {
      for (let i = 0; i < 20; i++) expect((await wrongKey(setup.app.url, '203.0.113.7')).status).toBe(401);
      expectThrottled(await wrongKey(setup.app.url, '203.0.113.7'));
      expect((await wrongKey(setup.app.url, '203.0.113.8')).status).toBe(401);
      const fromOther = request(setup.app.url)
        .get('/accounts')
        .set('authorization', 'Bearer right-key')
        .set('x-forwarded-for', '203.0.113.9');
      expect((await fromOther).status).toBe(200);
    });

    it('counts an IPv6 client by its /64, which one host can hold whole', async () => {
      for (let i = 1; i <= 20; i++) {
        expect((await wrongKey(setup.app.url, `2001:db8:1:2::${i.toString(16)}`)).status).toBe(401);
      }
      expectThrottled(await wrongKey(setup.app.url, '2001:db8:1:2:ffff::1'));
      expect((await wrongKey(setup.app.url, '2001:db8:1:3::1')).status).toBe(401);
    });
  });
});
