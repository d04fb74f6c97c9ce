import { createTestEnvironment, sql, startTestApp, TestEnvironment, eventually } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

describe('notifications housekeeping', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    await (await startTestApp(appDefinition, environment)).close(); // migrations
  });

  afterAll(async () => {
    await environment?.teardown();
  });

  it('prunes the delivery log, rotated-out secrets and the archive past their retention, and nothing else', async () => {
    const secret = (label: string) => `whsec_${Buffer.from(`${label}-0123456789abcdefghij`).toString('base64')}`;
    const endpoint = randomUUID();
    await sql(
      environment.databaseUrl,
      `INSERT INTO notifications.endpoints (id, url, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)
       VALUES ($1, 'https://example.com/hooks', $2, $3, now() - interval '1 minute', now(), now())`,
      [endpoint, secret('current'), secret('previous')],
    );
    const delivery = (status: string, age: string) =>
      sql(
        environment.databaseUrl,
        `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'transaction.created', '{}', $4, now() - $5::interval, now() - $5::interval)
         RETURNING id`,
        [randomUUID(), endpoint, randomUUID(), status, age],
      ).then(([row]) => row.id as string);
    await delivery('succeeded', '3 days');
    await delivery('dead', '3 days');
    const oldButOpen = await delivery('failed', '3 days');
    const recent = await delivery('succeeded', '1 hour');
    const archived = (age: string) =>
      sql(
        environment.databaseUrl,
        `INSERT INTO notifications.event_archive (event_id, event_type, occurred_at, envelope)
         VALUES ($1, 'transaction.created', now() - $2::interval, '{}') RETURNING event_id`,
        [randomUUID(), age],
      ).then(([row]) => row.event_id as string);
    await archived('10 days');
    const recentEvent = await archived('1 day');

    const app = await startTestApp(appDefinition, environment, { DELIVERY_LOG_RETENTION: '2d', EVENT_RETENTION: '7d' });
    try {
      await eventually(async () => {
        const deliveries = await sql(environment.databaseUrl, 'SELECT id FROM notifications.deliveries');
        expect(deliveries.map((row) => row.id).sort()).toEqual([oldButOpen, recent].sort());
        const events = await sql(environment.databaseUrl, 'SELECT event_id FROM notifications.event_archive');
        expect(events.map((row) => row.event_id)).toEqual([recentEvent]);
        const [row] = await sql(
          environment.databaseUrl,
          'SELECT previous_secret FROM notifications.endpoints WHERE id = $1',
          [endpoint],
        );
        expect(row.previous_secret).toBeNull();
      });
    } finally {
      await app.close();
    }
  });
});
