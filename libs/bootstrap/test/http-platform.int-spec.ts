import { createTestEnvironment, probeAppDefinition, RunningTestApp, startTestApp, TestEnvironment } from '@app/testing';
import request from 'supertest';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('the shared HTTP layer (probe app, open API)', () => {
  let environment: TestEnvironment;
  let probe: RunningTestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    probe = await startTestApp(probeAppDefinition, environment);
  });

  afterAll(async () => {
    await probe?.close();
    await environment?.teardown();
  });

  it('accepts a valid body and returns it', async () => {
    const response = await request(probe.url).post('/probe/items').send({ name: 'pen', quantity: 2 });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ name: 'pen', quantity: 2 });
  });

  it('answers validation failures with 400 and one {field, message} per broken rule', async () => {
    const response = await request(probe.url)
      .post('/probe/items')
      .send({ name: 'far too long a name', quantity: 0, note: { text: 'too long' } });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: '/problems/validation-failed',
      status: 400,
      title: expect.any(String),
    });
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['name', 'note.text', 'quantity']);
  });

  it('refuses unknown fields and names them', async () => {
    const response = await request(probe.url).post('/probe/items').send({ name: 'pen', quantity: 1, colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'colour', message: 'colour is not a known field' }]);
  });

  it('answers a body that is not JSON with 400 problem+json', async () => {
    const response = await request(probe.url)
      .post('/probe/items')
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.type).toBe('/problems/malformed-request');
    expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('not valid JSON') }]);
  });

  it.each([
    ['a NUL character', '{"name":"a\\u0000b","quantity":1}'],
    ['nesting 5000 levels deep', `{"note":${'['.repeat(5000)}${']'.repeat(5000)}}`],
  ])('refuses a body with %s with 400 naming the body', async (_, body) => {
    const response = await request(probe.url).post('/probe/items').set('content-type', 'application/json').send(body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it('refuses a body whose content-encoding does not match it with a 4xx, not a 500', async () => {
    const response = await request(probe.url)
      .post('/probe/items')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send('{"name":"pen","quantity":1}');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const response = await request(probe.url).post('/probe/items').set('content-type', 'application/json').send('[1]');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('answers bodies over 1 MiB with 413', async () => {
    const response = await request(probe.url)
      .post('/probe/items')
      .send({ name: 'x'.repeat(1024 * 1024 + 10), quantity: 1 });
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('/problems/payload-too-large');
  });

  it('answers non-JSON media types with 415', async () => {
    const response = await request(probe.url).post('/probe/items').set('content-type', 'text/plain').send('hello');
    expect(response.status).toBe(415);
    expect(response.body.type).toBe('/problems/unsupported-media-type');
  });

  it('maps domain errors to their status and type', async () => {
    const missing = await request(probe.url).get('/probe/items/8c4f2f62-4d6b-4a57-9b7e-0b3b3f6f8a11');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: '/problems/not-found', detail: expect.stringContaining('No item') });
    const rule = await request(probe.url).get('/probe/rule');
    expect(rule.status).toBe(422);
    expect(rule.body.type).toBe('/problems/business-rule-violated');
  });

  it('answers a malformed path id with 404, like an unknown one', async () => {
    const response = await request(probe.url).get('/probe/items/not-a-uuid');
    expect(response.status).toBe(404);
    expect(response.body.type).toBe('/problems/not-found');
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('answers unexpected errors with a bare 500 that leaks nothing', async () => {
    const response = await request(probe.url).get('/probe/boom');
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ type: '/problems/internal-error', status: 500 });
    expect(JSON.stringify(response.body)).not.toMatch(/secret internal detail|at .*\.ts:\d+/);
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const response = await request(probe.url).get('/no/such/route');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.type).toBe('/problems/route-not-found');
  });

  it('gives every response an x-request-id and echoes a sane one', async () => {
    const generated = await request(probe.url).get('/no/such/route');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await request(probe.url).get('/health/live').set('x-request-id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const spaced = await request(probe.url).get('/health/live').set('x-request-id', 'trace/1 a=b+c');
    expect(spaced.headers['x-request-id']).toBe('trace/1 a=b+c');
    const refused = await request(probe.url).get('/health/live').set('x-request-id', 'x'.repeat(201));
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts requests by route template in /metrics', async () => {
    await request(probe.url).get('/probe/items/8c4f2f62-4d6b-4a57-9b7e-0b3b3f6f8a11');
    const metrics = await request(probe.url).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_requests_total\{[^}]*route="\/probe\/items\/:id"[^}]*status="404"[^}]*\} \d+/);
    expect(metrics.text).not.toContain('{*path}');
  });
});

describe('API keys', () => {
  let environment: TestEnvironment;
  let probe: RunningTestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    probe = await startTestApp(probeAppDefinition, environment, { API_KEYS: 'key-one,key-two' });
  });

  afterAll(async () => {
    await probe?.close();
    await environment?.teardown();
  });

  it('refuses API routes without a key with 401 and WWW-Authenticate', async () => {
    const response = await request(probe.url).get('/probe/rule');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body.type).toBe('/problems/unauthorized');
  });

  it('refuses an unknown key', async () => {
    const response = await request(probe.url).get('/probe/rule').set('authorization', 'Bearer key-three');
    expect(response.status).toBe(401);
  });

  it.each(['key-one', 'key-two'])('accepts %s', async (key) => {
    const response = await request(probe.url).get('/probe/rule').set('authorization', `Bearer ${key}`);
    expect(response.status).toBe(422);
  });

  it.each(['/health/live', '/health/ready', '/metrics', '/docs-json'])('leaves %s open', async (path) => {
    const response = await request(probe.url).get(path);
    expect(response.status).toBe(200);
  });
});
