import { eventually, forgedCursors, useTestApp } from '@app/testing';
import request from 'supertest';
import { appDefinition } from '../src/app.definition';

/** CONTRACT.md section 3: strict values, never silently changed; opaque cursors. */
describe('strict input', () => {
  const setup = useTestApp(appDefinition);
  let accountId: string;

  beforeAll(async () => {
    accountId = (await setup.api.openAccount()).id;
    await setup.api.openAccount();
    await setup.api.record({ accountId, type: 'deposit', amount: '100' });
    await setup.api.record({ accountId, type: 'deposit', amount: '200' });
    await eventually(async () => expect((await setup.api.get('/events')).body.data.length).toBeGreaterThanOrEqual(4));
  });

  const expectProblem = (response: request.Response, status: number, type: RegExp, field: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toMatch(type);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };

  describe.each(['/accounts', '/transactions', '/events'])('%s cursors', (path) => {
    let issued: string;
    beforeAll(async () => {
      issued = (await setup.api.get(path, { limit: 1 })).body.nextCursor;
    });

    it('accept the cursor they issued', async () => {
      expect(issued).toEqual(expect.any(String));
      expect((await setup.api.get(path, { limit: 1, cursor: issued })).status).toBe(200);
    });

    it('refuse forged and altered cursors with 400 invalid-cursor', async () => {
      for (const [name, cursor] of forgedCursors(issued)) {
        const response = await setup.api.get(path, { cursor });
        expect({ name, status: response.status }).toEqual({ name, status: 400 });
        expectProblem(response, 400, /invalid-cursor$/, 'cursor');
      }
    });
  });

  it('GET /events?after_sequence= lists the events after that sequence, for readers that keep their place', async () => {
    const all = (await setup.api.get('/events', { limit: 100 })).body.data as { sequence: string }[];
    const after = await setup.api.get('/events', { after_sequence: all[1].sequence, limit: 100 });
    expect(after.status).toBe(200);
    expect(after.body.data.map((e: { sequence: string }) => e.sequence)).toEqual(all.slice(2).map((e) => e.sequence));
    expect((await setup.api.get('/events', { after_sequence: '0' })).body.data).toHaveLength(all.length);
    for (const value of ['-1', '01', '1e3', ' 1', '1'.repeat(19), 'abc']) {
      expectProblem(
        await setup.api.get('/events', { after_sequence: value }),
        400,
        /validation-failed$/,
        'after_sequence',
      );
    }
  });

  it('refuses a body that is not valid UTF-8 instead of storing replacement characters', async () => {
    const before = (await setup.api.get('/transactions', { accountId, limit: 100 })).body.data.length;
    const body = Buffer.concat([
      Buffer.from(`{"accountId":"${accountId}","type":"deposit","amount":"5","currency":"EUR","description":"caf`),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    // fetch sends the bytes as they are; supertest would serialise a Buffer as JSON.
    const response = await fetch(`${setup.app.url}/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { detail: string };
    expect(problem).toMatchObject({ type: expect.stringMatching(/malformed-request$/), errors: [{ field: 'body' }] });
    expect(problem.detail).toMatch(/UTF-8/);
    expect((await setup.api.get('/transactions', { accountId, limit: 100 })).body.data).toHaveLength(before);
  });

  it.each(['status', 'description', 'metadata'])('refuses "%s": null on POST /transactions', async (field) => {
    const response = await setup.api.post('/transactions', {
      accountId,
      type: 'deposit',
      amount: '5',
      currency: 'EUR',
      [field]: null,
    });
    expectProblem(response, 400, /validation-failed$/, field);
  });

  it.each(['1e2', '0x10', ' 5', '5.0', '+5', '05', '', '5 '])(
    'refuses limit=%j: numbers are plain decimal integers',
    async (limit) => {
      expectProblem(await setup.api.get('/accounts', { limit }), 400, /validation-failed$/, 'limit');
    },
  );

  it.each([
    ['/accounts?limit=5&limit=6', 'limit'],
    ['/transactions?status=pending&status=completed', 'status'],
    ['/events?type=a&type=b', 'type'],
  ])('refuses %s: a parameter given twice is named', async (path, field) => {
    const response = await request(setup.app.url).get(path);
    expectProblem(response, 400, /validation-failed$/, field);
    expect(response.body.detail).toContain(`${field} must be given at most once`);
  });

  it('refuses an `after` time longer than its documented maximum', async () => {
    const after = `2026-01-02T03:04:05.${'1'.repeat(60)}Z`;
    expectProblem(await setup.api.get('/events', { after }), 400, /validation-failed$/, 'after');
  });
});
