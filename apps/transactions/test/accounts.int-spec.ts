import { useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { appDefinition } from '../src/app.definition';

describe('accounts API', () => {
  const setup = useTestApp(appDefinition);

  it('opens an account with a zero balance', async () => {
    const response = await request(setup.app.url).post('/accounts').send({ name: '  Acme Ltd ', currency: 'EUR' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme Ltd',
      currency: 'EUR',
      balance: '0',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.any(String),
    });
    const fetched = await request(setup.app.url).get(`/accounts/${response.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(response.body);
  });

  it.each([
    [{ currency: 'EUR' }, 'name'],
    [{ name: '', currency: 'EUR' }, 'name'],
    [{ name: 'x'.repeat(201), currency: 'EUR' }, 'name'],
    [{ name: 'A', currency: 'EURO' }, 'currency'],
    [{ name: 'A', currency: 'XYZ' }, 'currency'],
    [{ name: 'A', currency: 'eur' }, 'currency'],
    [{ name: 42, currency: 'EUR' }, 'name'],
    [{ name: 'A', currency: 'EUR', balance: '100' }, 'balance'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const response = await request(setup.app.url).post('/accounts').send(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toMatch(/validation-failed$/);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers unknown and malformed ids with 404', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const response = await request(setup.app.url).get(`/accounts/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.type).toMatch(/not-found$/);
    }
  });

  it('lists accounts newest first with cursor pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await request(setup.app.url)
            .post('/accounts')
            .send({ name: `Page ${i}`, currency: 'USD' })
        ).body.id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await request(setup.app.url)
        .get('/accounts')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 });
      expect(response.status).toBe(200);
      expect(response.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...response.body.data.map((a: { id: string }) => a.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    const positions = ids.map((id) => seen.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => b - a)).toEqual(positions);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: 'garbage' }, 'cursor'],
  ])('refuses list query %j with 400', async (query, field) => {
    const response = await request(setup.app.url).get('/accounts').query(query);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('defaults the page size to 20', async () => {
    for (let i = 0; i < 21; i++)
      await request(setup.app.url)
        .post('/accounts')
        .send({ name: `Bulk ${i}`, currency: 'GBP' });
    const response = await request(setup.app.url).get('/accounts');
    expect(response.body.data).toHaveLength(20);
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });
});
