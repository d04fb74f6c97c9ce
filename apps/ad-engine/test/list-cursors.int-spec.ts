import { forgedCursors, useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

/** CONTRACT.md section 3: a cursor the API did not issue, or altered, is a 400, never a 5xx. */
describe('GET /campaigns cursors', () => {
  const setup = useTestApp(appDefinition);

  beforeAll(async () => {
    const accountId = randomUUID();
    for (const name of ['A', 'B']) {
      expect((await setup.api.post('/campaigns', { accountId, name, minBalance: '100' })).status).toBe(201);
    }
  });

  it('accepts the cursor it issued and refuses forged or altered ones', async () => {
    const issued = (await setup.api.get('/campaigns', { limit: 1 })).body.nextCursor as string;
    expect(issued).toEqual(expect.any(String));
    expect((await setup.api.get('/campaigns', { limit: 1, cursor: issued })).status).toBe(200);
    for (const [name, cursor] of forgedCursors(issued)) {
      const response = await setup.api.get('/campaigns', { cursor });
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(response.body).toMatchObject({
        type: expect.stringMatching(/invalid-cursor$/),
        errors: [{ field: 'cursor' }],
      });
    }
  });
});
