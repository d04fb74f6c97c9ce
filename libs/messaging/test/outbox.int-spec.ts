import {
  AmqpProbe,
  commitUnpublishedEvent,
  createTestEnvironment,
  eventually,
  metricValue,
  PROBE_EXCHANGE,
  probeAppDefinition,
  RunningTestApp,
  sql,
  startTestApp,
  StatementRecorder,
  TestEnvironment,
} from '@app/testing';
import { OutboxWriter } from '@app/messaging';
import { PreparedStatement } from '@app/persistence';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';

interface ProbeChanged {
  id: string;
  type: string;
  source: string;
  subject: string;
  sequence: string;
  data: { itemId: string; index: number };
}

const body = (message: ConsumeMessage) => JSON.parse(message.content.toString()) as ProbeChanged;

/**
 * An item and its `probe.changed` event written by one statement committed on its own
 * (OutboxWriter.execute), as a hot path would write them; answers the event id.
 */
async function commitItem(app: RunningTestApp, itemId: string): Promise<string> {
  const outbox = app.app.get(OutboxWriter);
  const statement = new PreparedStatement(
    'test-insert-item',
    `WITH item AS (INSERT INTO probe.items (id, name, aggregate) VALUES ($1::uuid, 'item', $1::text)) ${outbox.insertSql(2)}`,
  );
  const rows = outbox.toRows([{ type: 'probe.changed', subject: itemId, data: { itemId, index: 0 } }]);
  await outbox.execute(app.app.get<DataSource>(getDataSourceToken()), statement, [itemId, ...rows.columns]);
  return rows.envelopes[0].id;
}

async function recordChanges(app: RunningTestApp, aggregate: string, count: number): Promise<string[]> {
  const response = await request(app.url).post('/probe/changes').send({ aggregate, count });
  expect(response.status).toBe(201);
  return response.body.ids as string[];
}

/** Event ids per aggregate, in the order their changes committed (outbox position). */
async function committedOrder(environment: TestEnvironment, aggregate: string): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    environment.databaseUrl,
    'SELECT id FROM probe.outbox WHERE subject = $1 ORDER BY position',
    [aggregate],
  );
  return rows.map((row) => row.id);
}

describe('transactional outbox', () => {
  let environment: TestEnvironment;
  let app: RunningTestApp;
  let probe: AmqpProbe;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(probeAppDefinition, environment);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  beforeEach(async () => {
    probe = await AmqpProbe.connect(environment.rabbitmqUrl);
    await probe.listen(PROBE_EXCHANGE, 'probe.changed');
  });

  afterEach(async () => {
    await probe.close();
  });

  it('publishes exactly one message per committed event, with the contract properties', async () => {
    const aggregate = randomUUID();
    const ids = [...(await recordChanges(app, aggregate, 3)), ...(await recordChanges(app, aggregate, 2))];
    await eventually(() => expect(probe.messages).toHaveLength(5));
    expect(probe.messages.map((m) => body(m).id)).toEqual(ids);
    const [first] = probe.messages;
    expect(first.fields.routingKey).toBe('probe.changed');
    expect(first.properties).toMatchObject({
      contentType: 'application/cloudevents+json',
      messageId: ids[0],
      type: 'probe.changed',
      appId: 'probe-app',
      deliveryMode: 2,
    });
    expect(Math.abs(first.properties.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(body(first)).toMatchObject({ specversion: '1.0', source: '/probe-app', subject: aggregate });
    // Nothing more arrives later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(probe.messages).toHaveLength(5);
  });

  it('numbers events with a sequence that rises in publish order', async () => {
    await recordChanges(app, randomUUID(), 4);
    await eventually(() => expect(probe.messages).toHaveLength(4));
    const sequences = probe.messages.map((m) => BigInt(body(m).sequence));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    expect(new Set(sequences).size).toBe(4);
  });

  it('goes on publishing, in order, after its database session is killed', async () => {
    const aggregate = randomUUID();
    const before = await recordChanges(app, aggregate, 2);
    await eventually(() => expect(probe.messages).toHaveLength(2));
    const killed = await sql(
      environment.databaseUrl,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'probe-app-outbox-relay' AND datname = current_database()`,
    );
    expect(killed).toHaveLength(1);
    const after = await recordChanges(app, aggregate, 3);
    // A batch whose mark the kill cut short is published again (at least once): count each id once.
    const firstSeen = () => [...new Set(probe.messages.map((m) => body(m).id))];
    await eventually(() => expect(firstSeen()).toEqual([...before, ...after]), { timeoutMs: 15_000 });
  });

  it('publishes nothing for a change that was rolled back', async () => {
    const aggregate = randomUUID();
    const response = await request(app.url).post('/probe/changes?rollback=true').send({ aggregate, count: 3 });
    expect(response.status).toBe(422);
    const marker = await recordChanges(app, randomUUID(), 1);
    await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual(marker));
    expect(await sql(environment.databaseUrl, 'SELECT 1 FROM probe.outbox WHERE subject = $1', [aggregate])).toEqual(
      [],
    );
    expect(await sql(environment.databaseUrl, 'SELECT 1 FROM probe.items WHERE aggregate = $1', [aggregate])).toEqual(
      [],
    );
  });

  it('keeps publishing through a killed broker connection and loses nothing', async () => {
    const aggregate = randomUUID();
    // The management API lists a connection only after its first statistics tick (up to 5 s).
    await eventually(
      async () => {
        const names = (await environment.rabbitmq.connections(environment.vhost)).map(
          (c) => c.client_properties?.connection_name,
        );
        expect(names).toContain('probe-app');
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const writes = Array.from({ length: 20 }, () => recordChanges(app, aggregate, 25));
    await eventually(() => expect(probe.messages.length).toBeGreaterThan(0));
    expect(await environment.rabbitmq.closeConnections(environment.vhost, 'probe-app')).toBeGreaterThan(0);
    const ids = (await Promise.all(writes)).flat();
    await eventually(() => expect(new Set(probe.messages.map((m) => body(m).id))).toEqual(new Set(ids)), {
      timeoutMs: 30_000,
    });
    const [{ pending }] = await sql<{ pending: string }>(
      environment.databaseUrl,
      'SELECT count(*) AS pending FROM probe.outbox WHERE published_at IS NULL',
    );
    expect(Number(pending)).toBe(0);
  });

  it('reports the backlog and the published count in /metrics', async () => {
    await recordChanges(app, randomUUID(), 2);
    await eventually(() => expect(probe.messages).toHaveLength(2));
    await eventually(async () => {
      const metrics = (await request(app.url).get('/metrics')).text;
      expect(metrics).toMatch(/^outbox_backlog_events\{app="probe-app"\} 0$/m);
      expect(metrics).toMatch(/^outbox_events_published_total\{exchange="probe\.events",app="probe-app"\} \d+$/m);
      expect(metrics).toMatch(/^outbox_relay_leader\{app="probe-app"\} 1$/m);
    });
  });

  it('measures commit-to-publish from each row to the broker confirm of its publish', async () => {
    const published = async () => {
      const metrics = (await request(app.url).get('/metrics')).text;
      const histogram = (suffix: string, labels: Record<string, string> = {}) =>
        metricValue(metrics, `outbox_commit_to_publish_seconds_${suffix}`, { exchange: PROBE_EXCHANGE, ...labels }) ??
        NaN;
      return {
        all: histogram('count'),
        withinASecond: histogram('bucket', { le: '1' }),
        withinAMinute: histogram('bucket', { le: '60' }),
      };
    };
    const before = await published();
    // Left behind 30 s ago by a process that died before publishing it; then a change made now.
    const event = {
      source: '/probe-app',
      type: 'probe.changed',
      subject: randomUUID(),
      data: { itemId: randomUUID(), index: 0 },
    };
    await commitUnpublishedEvent(environment.databaseUrl, 'probe', event, { ageSeconds: 30 });
    await recordChanges(app, randomUUID(), 1);
    await eventually(() => expect(probe.messages).toHaveLength(2));
    await eventually(async () => {
      const after = await published();
      expect({
        all: after.all - before.all,
        withinASecond: after.withinASecond - before.withinASecond,
        withinAMinute: after.withinAMinute - before.withinAMinute,
      }).toEqual({ all: 2, withinASecond: 1, withinAMinute: 2 });
    });
  });
});

describe('outbox after a crash', () => {
  it('publishes events committed while no relay was running once the app is back', async () => {
    const environment = await createTestEnvironment();
    const probe = await AmqpProbe.connect(environment.rabbitmqUrl);
    try {
      const first = await startTestApp(probeAppDefinition, environment);
      await probe.listen(PROBE_EXCHANGE, 'probe.changed');
      await first.close();
      // Committed, never published: what a process killed between commit and publish leaves.
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const event = { source: '/probe-app', type: 'probe.changed', subject: 'crash' };
        ids.push((await commitUnpublishedEvent(environment.databaseUrl, 'probe', event)).id);
      }
      const second = await startTestApp(probeAppDefinition, environment);
      try {
        await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual(ids));
      } finally {
        await second.close();
      }
    } finally {
      await probe.close();
      await environment.teardown();
    }
  });
});

describe('two relay instances', () => {
  let environment: TestEnvironment;
  let apps: RunningTestApp[];
  let probe: AmqpProbe;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    apps = [await startTestApp(probeAppDefinition, environment), await startTestApp(probeAppDefinition, environment)];
    probe = await AmqpProbe.connect(environment.rabbitmqUrl);
    await probe.listen(PROBE_EXCHANGE, 'probe.changed');
  });

  afterAll(async () => {
    await probe?.close();
    for (const app of apps ?? []) await app.close().catch(() => undefined);
    await environment?.teardown();
  });

  it('publish every commit once and keep each aggregate in commit order', async () => {
    const aggregates = Array.from({ length: 5 }, () => randomUUID());
    const writes = aggregates.flatMap((aggregate) =>
      Array.from({ length: 8 }, (_, i) => recordChanges(apps[i % 2], aggregate, 3)),
    );
    const ids = (await Promise.all(writes)).flat();
    await eventually(() => expect(probe.messages).toHaveLength(ids.length));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = probe.messages.map(body);
    expect(received).toHaveLength(ids.length);
    expect(new Set(received.map((e) => e.id))).toEqual(new Set(ids));
    for (const aggregate of aggregates) {
      const order = received.filter((e) => e.subject === aggregate).map((e) => e.id);
      expect(order).toEqual(await committedOrder(environment, aggregate));
    }
  });

  it('hand over to the other instance when the leader stops', async () => {
    const leaders = await Promise.all(
      apps.map(async (app) => /^outbox_relay_leader\{[^}]*\} 1$/m.test((await request(app.url).get('/metrics')).text)),
    );
    expect(leaders.filter(Boolean)).toHaveLength(1);
    const leader = apps[leaders.indexOf(true)];
    const follower = apps[leaders.indexOf(false)];
    await leader.close();
    probe.messages.length = 0;
    const ids = await recordChanges(follower, randomUUID(), 3);
    await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual(ids), { timeoutMs: 10_000 });
  });
});

describe('relay wake-up without polling', () => {
  let environment: TestEnvironment;
  let apps: RunningTestApp[];
  let probe: AmqpProbe;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // A poll interval no test waits out: events can only arrive through a wake-up.
    const slowPoll = { OUTBOX_POLL_INTERVAL_MS: '600000' };
    apps = [await startTestApp(probeAppDefinition, environment, slowPoll)];
    await eventually(async () =>
      expect((await request(apps[0].url).get('/metrics')).text).toMatch(/^outbox_relay_leader\{[^}]*\} 1$/m),
    );
    apps.push(await startTestApp(probeAppDefinition, environment, slowPoll));
    probe = await AmqpProbe.connect(environment.rabbitmqUrl);
    await probe.listen(PROBE_EXCHANGE, 'probe.changed');
  });

  afterAll(async () => {
    await probe?.close();
    for (const app of apps ?? []) await app.close();
    await environment?.teardown();
  });

  it('wakes the local relay right after a commit on the leading instance', async () => {
    const ids = await recordChanges(apps[0], randomUUID(), 2);
    await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual(ids));
  });

  it('wakes the leader in another instance with NOTIFY after a commit on a follower', async () => {
    probe.messages.length = 0;
    const ids = await recordChanges(apps[1], randomUUID(), 2);
    await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual(ids));
  });

  it('wakes the relays after a change and its events committed as one statement, on either instance', async () => {
    probe.messages.length = 0;
    const onLeader = await commitItem(apps[0], randomUUID());
    await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual([onLeader]));
    const onFollower = await commitItem(apps[1], randomUUID());
    await eventually(() => expect(probe.messages.map((m) => body(m).id)).toEqual([onLeader, onFollower]));
  });

  it('writes neither the change nor its events when that one statement fails', async () => {
    const itemId = randomUUID();
    await commitItem(apps[0], itemId);
    await expect(commitItem(apps[0], itemId)).rejects.toThrow(/duplicate key/);
    expect(await sql(environment.databaseUrl, 'SELECT 1 FROM probe.outbox WHERE subject = $1', [itemId])).toHaveLength(
      1,
    );
  });

  it('claims, numbers and marks published in one statement per batch (two when it then finds nothing)', async () => {
    probe.messages.length = 0;
    const recorder = StatementRecorder.start();
    try {
      const ids: string[] = [];
      // One event per batch: each commit is published before the next one is made.
      for (let i = 0; i < 10; i++) {
        ids.push(...(await recordChanges(apps[0], randomUUID(), 1)));
        await eventually(() => expect(probe.messages).toHaveLength(ids.length));
      }
      expect(probe.messages.map((m) => body(m).id)).toEqual(ids);
      await eventually(async () => {
        const pending = await sql(environment.databaseUrl, 'SELECT 1 FROM probe.outbox WHERE published_at IS NULL');
        expect(pending).toEqual([]);
      });
      expect(recorder.matching(/outbox/, /-outbox-relay$/).length).toBeLessThanOrEqual(2 * ids.length);
    } finally {
      recorder.stop();
    }
  });
});

describe('event archive retention', () => {
  it('prunes published events older than EVENT_RETENTION and keeps the rest', async () => {
    const environment = await createTestEnvironment();
    try {
      const first = await startTestApp(probeAppDefinition, environment);
      await first.close();
      const old = await commitUnpublishedEvent(environment.databaseUrl, 'probe', {
        source: '/probe-app',
        type: 'probe.changed',
        subject: 'old',
      });
      const recent = await commitUnpublishedEvent(environment.databaseUrl, 'probe', {
        source: '/probe-app',
        type: 'probe.changed',
        subject: 'recent',
      });
      const pending = await commitUnpublishedEvent(environment.databaseUrl, 'probe', {
        source: '/probe-app',
        type: 'probe.changed',
        subject: 'pending',
      });
      await sql(
        environment.databaseUrl,
        `UPDATE probe.outbox SET sequence = 1, published_at = now() - interval '3 days' WHERE id = $1`,
        [old.id],
      );
      await sql(
        environment.databaseUrl,
        `UPDATE probe.outbox SET sequence = 2, published_at = now() - interval '1 hour' WHERE id = $1`,
        [recent.id],
      );
      await sql(environment.databaseUrl, `SELECT setval('probe.outbox_sequence', 2)`);
      const app = await startTestApp(probeAppDefinition, environment, { EVENT_RETENTION: '2d' });
      try {
        await eventually(async () => {
          const rows = await sql<{ id: string }>(
            environment.databaseUrl,
            'SELECT id FROM probe.outbox ORDER BY sequence',
          );
          expect(rows.map((row) => row.id)).toEqual([recent.id, pending.id]);
        });
      } finally {
        await app.close();
      }
    } finally {
      await environment.teardown();
    }
  });
});

describe('inbox retention', () => {
  it('prunes inbox entries older than INBOX_RETENTION and keeps the rest', async () => {
    const environment = await createTestEnvironment();
    try {
      const first = await startTestApp(probeAppDefinition, environment);
      await first.close();
      await sql(
        environment.databaseUrl,
        `INSERT INTO probe.inbox (consumer, event_id, processed_at) VALUES
           ('probe.events', 'old', now() - interval '8 days'),
           ('probe.events', 'recent', now() - interval '6 days'),
           ('probe.events', 'now', now())`,
      );
      const app = await startTestApp(probeAppDefinition, environment, { INBOX_RETENTION: '7d' });
      try {
        await eventually(async () => {
          const rows = await sql<{ event_id: string }>(
            environment.databaseUrl,
            'SELECT event_id FROM probe.inbox ORDER BY processed_at',
          );
          expect(rows.map((row) => row.event_id)).toEqual(['recent', 'now']);
        });
      } finally {
        await app.close();
      }
    } finally {
      await environment.teardown();
    }
  });
});
