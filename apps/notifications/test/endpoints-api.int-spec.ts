import { useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

describe('webhook endpoints API', () => {
  const setup = useTestApp(appDefinition, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  it('creates an endpoint and shows its secret only on creation', async () => {
    const response = await setup.api.post('/webhooks', {
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
      filter: null,
      ordering: 'none',
      enabled: true,
      disabledReason: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(Buffer.from(response.body.secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
    const fetched = await setup.api.get(`/webhooks/${response.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty('secret');
    const listed = await setup.api.get('/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(response.body.secret);
  });

  it('subscribes to every event when eventTypes is missing', async () => {
    const response = await setup.api.post('/webhooks', { url: 'https://example.com/hooks' });
    expect(response.body.eventTypes).toBeNull();
  });

  it('updates, disables, re-enables and deletes', async () => {
    const { id } = (await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/a' })).body;
    const updated = await setup.api.patch(`/webhooks/${id}`, {
      url: 'http://127.0.0.1:9/b',
      eventTypes: ['#'],
      enabled: false,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ url: 'http://127.0.0.1:9/b', eventTypes: ['#'], enabled: false });
    expect((await setup.api.patch(`/webhooks/${id}`, { enabled: true })).body.enabled).toBe(true);
    expect((await setup.api.patch(`/webhooks/${id}`, { eventTypes: null })).status).toBe(400);
    expect((await setup.api.delete(`/webhooks/${id}`)).status).toBe(204);
    expect((await setup.api.get(`/webhooks/${id}`)).status).toBe(404);
    expect((await setup.api.delete(`/webhooks/${id}`)).status).toBe(404);
  });

  it('rotates the secret and shows the new one', async () => {
    const created = (await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/r' })).body;
    const rotated = await setup.api.post(`/webhooks/${created.id}/rotate-secret`, {});
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
    [{ url: 'https://example.com', eventTypes: ['Transaction.Created'] }, 'eventTypes[0]'],
    [{ url: 'https://example.com', eventTypes: 'transaction.*' }, 'eventTypes'],
    [{ url: 'https://example.com', secret: 'mine' }, 'secret'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const response = await setup.api.post('/webhooks', body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  const HOSTILE_PATTERN = '#.'.repeat(8000) + 'zz';

  it.each([
    ['eventTypes[3]', 'a pattern of 16,002 characters', ['transaction.*', 'a', 'b', HOSTILE_PATTERN]],
    ['eventTypes[0]', 'a pattern of 256 characters', ['x'.repeat(256)]],
    ['eventTypes[1]', 'a malformed pattern', ['transaction.created', 'a.#b']],
    ['eventTypes[1]', 'a number', ['transaction.*', 7]],
    ['eventTypes', '101 patterns', Array.from({ length: 101 }, (_, i) => `type_${i}`)],
  ])(
    'refuses eventTypes naming %s (%s) on create and on update, and stores nothing',
    async (field, _case, eventTypes) => {
      const created = await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/p', eventTypes });
      expect(created.status).toBe(400);
      expect(created.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      const { id } = (await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/p', eventTypes: ['a.b'] })).body;
      const patched = await setup.api.patch(`/webhooks/${id}`, { eventTypes, description: 'changed' });
      expect(patched.status).toBe(400);
      expect(patched.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect((await setup.api.get(`/webhooks/${id}`)).body).toMatchObject({ eventTypes: ['a.b'], description: null });
    },
  );

  it('accepts 100 patterns, and a pattern of 255 characters', async () => {
    const many = Array.from({ length: 100 }, (_, i) => `type_${i}.*`);
    expect((await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/m', eventTypes: many })).status).toBe(201);
    const longest = ['a.'.repeat(127) + 'b'];
    const created = await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/m', eventTypes: longest });
    expect(created.status).toBe(201);
    expect(created.body.eventTypes).toEqual(longest);
  });

  it.each([
    'http://127.0.0.1:9/a b',
    'http://127.0.0.1:9/a\nb',
    'http://127.0.0.1:9/a\tb',
    'http://127.0.0.1:9/a\rb',
    ' http://127.0.0.1:9/a',
    'http://127.0.0.1:9/a ',
    'http://127.0.0.1:9/a\u0001',
    'http://127.0.0.1:9/a\u007f',
    'http://127.0.0.1:9/a\u0085',
    'http://127.0.0.1:9/a\u00a0b',
    'http://127.0.0.1:9/a\u2028b',
    'http://127.0.0.1:9/' + 'a'.repeat(2049 - 'http://127.0.0.1:9/'.length),
  ])('refuses url %j on create and on update, naming url, and stores nothing', async (url) => {
    const created = await setup.api.post('/webhooks', { url });
    expect(created.status).toBe(400);
    expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    const { id } = (await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/u' })).body;
    const patched = await setup.api.patch(`/webhooks/${id}`, { url });
    expect(patched.status).toBe(400);
    expect(patched.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    expect((await setup.api.get(`/webhooks/${id}`)).body.url).toBe('http://127.0.0.1:9/u');
  });

  it('accepts a url of 2,048 characters', async () => {
    const url = 'http://127.0.0.1:9/' + 'a'.repeat(2048 - 'http://127.0.0.1:9/'.length);
    const created = await setup.api.post('/webhooks', { url });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(url);
  });

  it('keeps a description to 500 characters, on create and on update', async () => {
    const url = 'http://127.0.0.1:9/d';
    expect((await setup.api.post('/webhooks', { url, description: 'd'.repeat(501) })).body.errors).toEqual([
      { field: 'description', message: expect.stringContaining('500') },
    ]);
    const { id } = (await setup.api.post('/webhooks', { url, description: 'd'.repeat(500) })).body;
    expect((await setup.api.patch(`/webhooks/${id}`, { description: 'e'.repeat(501) })).status).toBe(400);
    expect((await setup.api.get(`/webhooks/${id}`)).body.description).toBe('d'.repeat(500));
  });

  it('documents the limits of every string field in the OpenAPI document', async () => {
    const schemas = (await setup.api.get('/docs-json')).body.components.schemas;
    for (const name of ['CreateEndpointDto', 'UpdateEndpointDto']) {
      const { properties } = schemas[name];
      expect(properties.url.maxLength).toBe(2048);
      expect(properties.description.maxLength).toBe(500);
      expect(properties.eventTypes).toMatchObject({ maxItems: 100, items: { type: 'string', maxLength: 255 } });
    }
  });

  it('answers unknown endpoints and deliveries with 404', async () => {
    for (const path of [
      `/webhooks/${randomUUID()}`,
      `/webhooks/${randomUUID()}/deliveries`,
      `/deliveries/${randomUUID()}/attempts`,
      '/webhooks/nope',
    ]) {
      expect((await setup.api.get(path)).status).toBe(404);
    }
    for (const path of [
      `/webhooks/${randomUUID()}/test`,
      `/webhooks/${randomUUID()}/rotate-secret`,
      `/deliveries/${randomUUID()}/retry`,
    ]) {
      expect((await setup.api.post(path, {})).status).toBe(404);
    }
    expect((await setup.api.post(`/webhooks/${randomUUID()}/replay`, { since: '2026-01-01T00:00:00Z' })).status).toBe(
      404,
    );
  });

  it('refuses null where a field has no null meaning, and fields a body-less action does not take', async () => {
    const { id } = (await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/x' })).body;
    for (const field of ['enabled', 'url', 'eventTypes', 'description']) {
      const patched = await setup.api.patch(`/webhooks/${id}`, { [field]: null });
      expect(patched.status).toBe(400);
      expect(new Set(patched.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set([field]));
    }
    for (const field of ['eventTypes', 'description']) {
      const created = await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/x', [field]: null });
      expect(created.status).toBe(400);
      expect(new Set(created.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set([field]));
    }
    // What null would have meant is said with values: every event again, no description.
    const reset = await setup.api.patch(`/webhooks/${id}`, { eventTypes: ['#'], description: '' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ eventTypes: ['#'], description: '' });

    for (const action of [`/webhooks/${id}/test`, `/webhooks/${id}/rotate-secret`]) {
      const refused = await setup.api.post(action, { x: 1 });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field: 'x', message: 'x is not a known field' }]);
    }
    expect((await setup.api.post(`/webhooks/${id}/test`, undefined)).status).toBe(202);
    expect((await setup.api.post(`/webhooks/${id}/test`, [1])).body.errors).toEqual([
      { field: 'body', message: 'this action takes no body, or {}' },
    ]);
  });

  it('refuses __proto__ and constructor keys as unknown fields, at any depth', async () => {
    const json = { 'content-type': 'application/json' };
    const top = await setup.api.post('/webhooks', '{"url":"http://127.0.0.1:9/x","__proto__":{"admin":true}}', json);
    expect(top.status).toBe(400);
    expect(top.body.errors).toEqual([{ field: '__proto__', message: '__proto__ is not a known field' }]);
    const nested = await setup.api.post(
      '/webhooks',
      '{"url":"http://127.0.0.1:9/x","eventTypes":[{"constructor":1}]}',
      json,
    );
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].field).toBe('eventTypes.0.constructor');
  });

  it('refuses a replay without a valid since', async () => {
    const { id } = (await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/x' })).body;
    expect((await setup.api.post(`/webhooks/${id}/replay`, {})).status).toBe(400);
    expect((await setup.api.post(`/webhooks/${id}/replay`, { since: 'last week' })).status).toBe(400);
    // RFC 3339 allows offsets past ±15:59; no zone has one, and PostgreSQL refuses them.
    expect((await setup.api.post(`/webhooks/${id}/replay`, { since: '2026-01-01T00:00:00+16:00' })).status).toBe(400);
    expect((await setup.api.post(`/webhooks/${id}/replay`, { since: '2026-01-01T00:00:00+14:00' })).status).toBe(202);
  });
});

describe('SSRF guard (WEBHOOK_ALLOW_PRIVATE_TARGETS=false)', () => {
  const setup = useTestApp(appDefinition);

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
    'http://[::127.0.0.1]/hooks',
    'http://[::10.1.2.3]/hooks',
    'http://[::a9fe:a9fe]/latest/meta-data',
    'http://[fd00::1]/hooks',
  ])('refuses %s on create and on update', async (url) => {
    const created = await setup.api.post('/webhooks', { url });
    expect(created.status).toBe(400);
    expect(created.body.errors[0].field).toBe('url');
    const { id } = (await setup.api.post('/webhooks', { url: 'http://93.184.216.34/hooks' })).body;
    expect((await setup.api.patch(`/webhooks/${id}`, { url })).status).toBe(400);
  });
});
