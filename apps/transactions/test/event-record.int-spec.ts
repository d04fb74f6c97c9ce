import { ApiClient, eventually, sql, useTestApp } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

/** GET /events/:id/record: what this service kept of an event, read by notifications' traces. */
describe('GET /events/:id/record', () => {
  const setup = useTestApp(appDefinition, { API_KEYS: 'record-key' }, 'record-key');

  it('answers the outbox row of an event it published: the envelope as GET /events shows it, and its times', async () => {
    const account = await setup.api.openAccount();
    await setup.api.record({ accountId: account.id, type: 'deposit', amount: '100' });
    const published = await eventually(async () => {
      const events = (await setup.api.get('/events')).body.data as { id: string; type: string }[];
      const event = events.find((candidate) => candidate.type === 'transaction.created');
      expect(event).toBeDefined();
      return event!;
    });

    const response = await setup.api.get(`/events/${published.id.toUpperCase()}/record`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: published.id,
      outbox: { envelope: published, committedAt: expect.any(String), publishedAt: expect.any(String) },
      inbox: [],
    });
    const { committedAt, publishedAt } = response.body.outbox;
    // To the microsecond, as PostgreSQL keeps them.
    expect(committedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(committedAt <= publishedAt).toBe(true);
    const [row] = await sql<{ same: boolean }>(
      setup.environment.databaseUrl,
      `SELECT created_at = $2::timestamptz AND published_at = $3::timestamptz AS same FROM transactions.outbox WHERE id = $1`,
      [published.id, committedAt, publishedAt],
    );
    expect(row.same).toBe(true);
  });

  it("lists the inbox entries of this service's consumers for an event it did not produce", async () => {
    const eventId = randomUUID();
    await sql(
      setup.environment.databaseUrl,
      `INSERT INTO transactions.inbox (consumer, event_id, processed_at) VALUES ($1, $2, '2026-01-02T03:04:05.123456Z')`,
      ['transactions.some-queue', eventId],
    );
    const response = await setup.api.get(`/events/${eventId}/record`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: eventId,
      outbox: null,
      inbox: [{ consumer: 'transactions.some-queue', appliedAt: '2026-01-02T03:04:05.123456Z' }],
    });
  });

  it('is 404 for an event it has no trace of, and for an id that is no UUID', async () => {
    const unknown = randomUUID();
    const response = await setup.api.get(`/events/${unknown}/record`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      type: '/problems/not-found',
      detail: `This service has no trace of event ${unknown}`,
    });
    expect((await setup.api.get('/events/42/record')).status).toBe(404);
  });

  it('asks for the API key', async () => {
    expect((await new ApiClient(setup.app.url).get(`/events/${randomUUID()}/record`)).status).toBe(401);
  });
});
