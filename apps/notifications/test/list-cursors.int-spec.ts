import { buildEnvelope, EVENT_SOURCES } from '@app/contracts';
import { forgedCursors, sql, useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { appDefinition } from '../src/app.definition';

/** CONTRACT.md section 3: a cursor the API did not issue, or altered, is a 400, never a 5xx. */
describe('list cursors', () => {
  const setup = useTestApp(appDefinition, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  let endpointId: string;
  let deliveryId: string;

  beforeAll(async () => {
    for (const path of ['a', 'b']) {
      const created = await setup.api.post('/webhooks', { url: `http://127.0.0.1:9/${path}` });
      endpointId = created.body.id;
      // Disabled: nothing here is meant to be sent.
      await setup.api.patch(`/webhooks/${endpointId}`, { enabled: false });
    }
    for (let i = 0; i < 2; i++) {
      const event = buildEnvelope({
        source: EVENT_SOURCES.transactions,
        type: 'transaction.created',
        subject: 's',
        data: {},
      });
      deliveryId = randomUUID();
      await sql(
        setup.environment.databaseUrl,
        `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, attempts,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'failed', 2, now(), now())`,
        [deliveryId, endpointId, event.id, event.type, JSON.stringify(event)],
      );
    }
    await sql(
      setup.environment.databaseUrl,
      `INSERT INTO notifications.delivery_attempts (delivery_id, attempted_at, status_code, duration_ms)
       VALUES ($1, now(), 503, 5), ($1, now(), 503, 7)`,
      [deliveryId],
    );
  });

  const lists = () => ['/webhooks', `/webhooks/${endpointId}/deliveries`, `/deliveries/${deliveryId}/attempts`];

  it.each([0, 1, 2])('list %i accepts the cursor it issued and refuses forged or altered ones', async (index) => {
    const path = lists()[index];
    const issued = (await setup.api.get(path, { limit: 1 })).body.nextCursor as string;
    expect(issued).toEqual(expect.any(String));
    expect((await setup.api.get(path, { limit: 1, cursor: issued })).status).toBe(200);
    for (const [name, cursor] of forgedCursors(issued)) {
      const response = await setup.api.get(path, { cursor });
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: expect.stringMatching(/invalid-cursor$/),
        errors: [{ field: 'cursor' }],
      });
    }
  });

  it('refuses a parameter given twice', async () => {
    const response = await request(setup.app.url).get(`/webhooks/${endpointId}/deliveries?status=failed&status=dead`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'status', message: 'status must be given at most once' }]);
  });
});
