import { ApiClient, createTestEnvironment, RunningTestApp, startTestApp, TestEnvironment } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

describe('webhook endpoints API', () => {
  let environment: TestEnvironment;
  let app: RunningTestApp;
  let api: ApiClient;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(appDefinition, environment, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    api = new ApiClient(app.url);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('creates an endpoint and shows its secret only on creation', async () => {
    const response = await api.post('/webhooks', {
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['transaction.*'],
      description: 'Billing',
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      url: 'http://127.0.0.1:9/hooks',
      description: 'Billing',
      eventTypes: ['transaction.*'],
      enabled: true,
      disabledReason: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(Buffer.from(response.body.secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
    const fetched = await api.get(`/webhooks/${response.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty('secret');
    const listed = await api.get('/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(response.body.secret);
  });

  it('subscribes to every event when eventTypes is missing', async () => {
    const response = await api.post('/webhooks', { url: 'https://example.com/hooks' });
    expect(response.body.eventTypes).toBeNull();
  });

  it('updates, disables, re-enables and deletes', async () => {
    const { id } = (await api.post('/webhooks', { url: 'http://127.0.0.1:9/a' })).body;
    const updated = await api.patch(`/webhooks/${id}`, {
      url: 'http://127.0.0.1:9/b',
      eventTypes: ['#'],
      enabled: false,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ url: 'http://127.0.0.1:9/b', eventTypes: ['#'], enabled: false });
    expect((await api.patch(`/webhooks/${id}`, { enabled: true })).body.enabled).toBe(true);
    expect((await api.patch(`/webhooks/${id}`, { eventTypes: null })).body.eventTypes).toBeNull();
    expect((await api.delete(`/webhooks/${id}`)).status).toBe(204);
    expect((await api.get(`/webhooks/${id}`)).status).toBe(404);
    expect((await api.delete(`/webhooks/${id}`)).status).toBe(404);
  });

  it('rotates the secret and shows the new one', async () => {
    const created = (await api.post('/webhooks', { url: 'http://127.0.0.1:9/r' })).body;
    const rotated = await api.post(`/webhooks/${created.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
  });

  it.each([
    [{ url: 'not a url' }, 'url'],
    [{ url: 'ftp://example.com/x' }, 'url'],
    [{ url: 'https://user:pw@example.com/x' }, 'url'],
    [{}, 'url'],
    [{ url: 'https://example.com', eventTypes: [] }, 'eventTypes'],
    [{ url: 'https://example.com', eventTypes: ['Transaction.Created'] }, 'eventTypes'],
    [{ url: 'https://example.com', eventTypes: 'transaction.*' }, 'eventTypes'],
    [{ url: 'https://example.com', secret: 'mine' }, 'secret'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const response = await api.post('/webhooks', body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers unknown endpoints and deliveries with 404', async () => {
    for (const path of [
      `/webhooks/${randomUUID()}`,
      `/webhooks/${randomUUID()}/deliveries`,
      `/deliveries/${randomUUID()}/attempts`,
      '/webhooks/nope',
    ]) {
      expect((await api.get(path)).status).toBe(404);
    }
    for (const path of [
      `/webhooks/${randomUUID()}/test`,
      `/webhooks/${randomUUID()}/rotate-secret`,
      `/deliveries/${randomUUID()}/retry`,
    ]) {
      expect((await api.post(path, {})).status).toBe(404);
    }
    expect((await api.post(`/webhooks/${randomUUID()}/replay`, { since: '2026-01-01T00:00:00Z' })).status).toBe(404);
  });

  it('refuses a replay without a valid since', async () => {
    const { id } = (await api.post('/webhooks', { url: 'http://127.0.0.1:9/x' })).body;
    expect((await api.post(`/webhooks/${id}/replay`, {})).status).toBe(400);
    expect((await api.post(`/webhooks/${id}/replay`, { since: 'last week' })).status).toBe(400);
  });
});

describe('SSRF guard (WEBHOOK_ALLOW_PRIVATE_TARGETS=false)', () => {
  let environment: TestEnvironment;
  let app: RunningTestApp;
  let api: ApiClient;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(appDefinition, environment);
    api = new ApiClient(app.url);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it.each([
    'http://127.0.0.1/hooks',
    'http://localhost:8080/hooks',
    'http://[::1]/hooks',
    'http://10.1.2.3/hooks',
    'http://192.168.0.10/hooks',
    'http://100.64.0.1/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://0.0.0.0/hooks',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://[fd00::1]/hooks',
  ])('refuses %s on create and on update', async (url) => {
    const created = await api.post('/webhooks', { url });
    expect(created.status).toBe(400);
    expect(created.body.errors[0].field).toBe('url');
    const { id } = (await api.post('/webhooks', { url: 'http://93.184.216.34/hooks' })).body;
    expect((await api.patch(`/webhooks/${id}`, { url })).status).toBe(400);
  });
});
