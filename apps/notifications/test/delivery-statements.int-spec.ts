import { EXCHANGES } from '@app/contracts';
import { catalogueEvent, eventually, sql, StatementRecorder, useDeliveryHarness } from '@app/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appDefinition } from '../src/app.definition';
import { DeliveriesRepository } from '../src/deliveries/deliveries.repository';
import { FAN_OUT_QUEUE } from '../src/fan-out/event-fan-out.consumer';
import { FanOutRepository } from '../src/fan-out/fan-out.repository';

/** What the database does for each event: the statements, and the rows they walk past. */
describe('notifications database work per event', () => {
  const setup = useDeliveryHarness(appDefinition, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  const newEndpoint = async () => {
    const id = randomUUID();
    // Disabled: the dispatcher leaves its deliveries alone, the test writes their outcomes itself.
    await sql(
      setup.environment.databaseUrl,
      `INSERT INTO notifications.endpoints (id, url, secret, enabled, created_at, updated_at)
       VALUES ($1, 'https://example.com/hooks', 'whsec_c2VjcmV0', false, now(), now())`,
      [id],
    );
    return id;
  };

  it('records attempts by finding each delivery by its key, not by reading the whole delivery log', async () => {
    const endpointId = await newEndpoint();
    const [{ ids }] = await sql<{ ids: string[] }>(
      setup.environment.databaseUrl,
      `WITH created AS (
         INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at,
           created_at, updated_at)
         SELECT gen_random_uuid(), $1, gen_random_uuid()::text, 'transaction.created', '{}', 'pending', now(), now(), now()
         FROM generate_series(1, 2000)
         RETURNING id
       ) SELECT array_agg(id) AS ids FROM created`,
      [endpointId],
    );
    const recorded = ids.slice(0, 3);
    const dataSource = setup.app.app.get<DataSource>(getDataSourceToken());
    const scans = await dataSource.transaction(async (manager) => {
      // This connection's counts not yet reported (earlier work of this pooled connection
      // included): what the statement adds to them is how it found the deliveries it updated.
      const sequentialScans = async () => {
        const [row] = await manager.query<{ seq_scan: string }[]>(
          `SELECT seq_scan::text FROM pg_stat_xact_user_tables
           WHERE schemaname = 'notifications' AND relname = 'deliveries'`,
        );
        return Number(row.seq_scan);
      };
      const before = await sequentialScans();
      await setup.app.app.get(DeliveriesRepository).recordAttempts(
        manager,
        recorded.map((deliveryId, index) => ({
          deliveryId,
          outcome: {
            attemptedAt: new Date(),
            statusCode: index === 0 ? 503 : 204,
            durationMs: 12,
            error: index === 0 ? 'HTTP 503' : null,
            responseExcerpt: index === 0 ? 'try "later"\\, {please}' : null,
          },
          next:
            index === 0
              ? { status: 'failed', nextAttemptAt: new Date(Date.now() + 60_000) }
              : { status: 'succeeded', nextAttemptAt: null },
        })),
      );
      return (await sequentialScans()) - before;
    });
    expect(scans).toBe(0);
    const rows = await sql(
      setup.environment.databaseUrl,
      `SELECT d.id, d.status, d.attempts, d.last_status_code, a.response_excerpt, a.duration_ms
       FROM notifications.deliveries d JOIN notifications.delivery_attempts a ON a.delivery_id = d.id
       WHERE d.id = ANY($1::uuid[]) ORDER BY d.status`,
      [recorded],
    );
    expect(rows).toEqual([
      {
        id: recorded[0],
        status: 'failed',
        attempts: 1,
        last_status_code: 503,
        response_excerpt: 'try "later"\\, {please}',
        duration_ms: 12,
      },
      expect.objectContaining({ status: 'succeeded', attempts: 1, last_status_code: 204, response_excerpt: null }),
      expect.objectContaining({ status: 'succeeded', attempts: 1, last_status_code: 204, response_excerpt: null }),
    ]);
  });

  it('counts deliveries by status for /metrics from the partial indexes, never reading the succeeded ones', async () => {
    const deliveries = setup.app.app.get(DeliveriesRepository);
    const before = await deliveries.countByStatus();
    const endpointId = await newEndpoint();
    await sql(
      setup.environment.databaseUrl,
      `INSERT INTO notifications.deliveries (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at,
         claimed_until, created_at, updated_at)
       SELECT gen_random_uuid(), $1, gen_random_uuid()::text, 'transaction.created', '{}', s.status,
         CASE WHEN s.status IN ('pending', 'failed') THEN now() + interval '1 hour' END,
         CASE WHEN s.status = 'failed' AND n % 2 = 0 THEN now() + interval '1 minute' END, now(), now()
       FROM generate_series(1, 5000) AS n, LATERAL (SELECT CASE WHEN n <= 3 THEN 'pending' WHEN n <= 7 THEN 'failed'
         WHEN n <= 9 THEN 'dead' ELSE 'succeeded' END AS status) s`,
      [endpointId],
    );
    // Statistics as autovacuum would keep them (it is off on this machine).
    await sql(setup.environment.databaseUrl, 'ANALYZE notifications.deliveries');
    const recorder = StatementRecorder.start();
    const after = await deliveries.countByStatus().finally(() => recorder.stop());
    expect({
      pending: after.pending - before.pending,
      failed: after.failed - before.failed,
      dead: after.dead - before.dead,
    }).toEqual({ pending: 3, failed: 4, dead: 2 });
    const [statement] = recorder.matching(/GROUP BY status/);
    const [explained] = await sql<Record<string, unknown>>(
      setup.environment.databaseUrl,
      `EXPLAIN (FORMAT JSON) ${statement.text}`,
    );
    const plan = JSON.stringify(explained['QUERY PLAN']);
    expect([...plan.matchAll(/"Node Type":"([^"]+)"/g)].map((match) => match[1])).not.toContain('Seq Scan');
    for (const index of ['deliveries_due_idx', 'deliveries_claimed_idx', 'deliveries_dead_idx']) {
      expect(plan).toContain(`"Index Name":"${index}"`);
    }
  });

  it('applies a batch in one statement: inbox, archive and deliveries of new events, once each', async () => {
    const endpointId = await newEndpoint();
    const seen = catalogueEvent('transaction.created');
    const fresh = catalogueEvent('transaction.created');
    await sql(setup.environment.databaseUrl, 'INSERT INTO notifications.inbox (consumer, event_id) VALUES ($1, $2)', [
      FAN_OUT_QUEUE,
      seen.id,
    ]);
    const events = [seen, fresh, fresh].map((event) => ({ id: event.id, body: JSON.stringify(event) }));
    const pairs = events.map((_, eventIndex) => ({
      id: randomUUID(),
      eventIndex,
      endpointId,
      claimed: false,
      ordered: false,
    }));
    const applied = await setup.app.app
      .get(FanOutRepository)
      .applyBatch(FAN_OUT_QUEUE, events, pairs, { claimedBy: 0, claimMs: 0 });
    expect(applied).toEqual([false, true, false]);
    const deliveries = await sql(
      setup.environment.databaseUrl,
      'SELECT id, event_id, envelope::text AS body FROM notifications.deliveries WHERE endpoint_id = $1',
      [endpointId],
    );
    expect(deliveries).toEqual([{ id: pairs[1].id, event_id: fresh.id, body: events[1].body }]);
    const archived = await sql(
      setup.environment.databaseUrl,
      'SELECT event_id FROM notifications.event_archive WHERE event_id = ANY($1::text[])',
      [[seen.id, fresh.id]],
    );
    expect(archived).toEqual([{ event_id: fresh.id }]);
    const inbox = await sql(
      setup.environment.databaseUrl,
      'SELECT event_id FROM notifications.inbox WHERE consumer = $1',
      [FAN_OUT_QUEUE],
    );
    expect(inbox.map((row) => row.event_id).sort()).toEqual([seen.id, fresh.id].sort());
  });

  it('claims nothing more after each attempt when every delivery went straight to the lanes', async () => {
    const response = await setup.api.post('/webhooks', {
      url: setup.receiver.url,
      eventTypes: ['transaction.created'],
    });
    expect(response.status).toBe(201);
    const claims = jest.spyOn(setup.app.app.get(DeliveriesRepository), 'claimDue');
    try {
      const startedAt = Date.now();
      const events = Array.from({ length: 60 }, () => catalogueEvent('transaction.created'));
      for (const event of events) {
        setup.amqp.publishEvent(EXCHANGES.transactions, event);
        // One at a time, so most attempts end while the lanes are nearly empty.
        await eventually(() => expect(setup.receiver.received.map((r) => r.headers['webhook-id'])).toContain(event.id));
      }
      const elapsedMs = Date.now() - startedAt;
      // The poll (every 250 ms) and a few more, not one claim per attempt.
      expect(claims.mock.calls.length).toBeLessThanOrEqual(elapsedMs / 250 + 5);
    } finally {
      claims.mockRestore();
    }
  });
});
