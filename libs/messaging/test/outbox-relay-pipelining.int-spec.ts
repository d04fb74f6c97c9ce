import type { EventEnvelope } from '@app/contracts';
import { backboneTablesUp, MessagingMetrics, OutboxRelay } from '@app/messaging';
import { createTestEnvironment, eventually, sql, TestEnvironment } from '@app/testing';
import { Registry } from 'prom-client';

interface HeldPublish {
  id: string;
  sequence: string;
  confirm(): void;
  refuse(error: Error): void;
}

/**
 * Stands in for the broker's confirms only, which a test cannot slow down or refuse on a real
 * broker at will: every publish waits until the test confirms or refuses it. The claims run
 * against PostgreSQL as in production.
 */
class HeldConfirms {
  readonly exchange = 'probe.events';
  readonly publishes: HeldPublish[] = [];

  publish(envelope: EventEnvelope): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.publishes.push({ id: envelope.id, sequence: String(envelope.sequence), confirm: resolve, refuse: reject }),
    );
  }

  ids(): string[] {
    return this.publishes.map((publish) => publish.id);
  }
}

describe('outbox relay with batches in flight', () => {
  let environment: TestEnvironment;
  let schemas = 0;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await environment?.teardown();
  });

  async function startRelay(): Promise<{
    relay: OutboxRelay;
    confirms: HeldConfirms;
    commit: () => Promise<string>;
    published: () => Promise<string[]>;
  }> {
    const schema = `relay_${++schemas}`;
    await sql(environment.databaseUrl, `CREATE SCHEMA ${schema}`);
    for (const statement of backboneTablesUp(schema)) await sql(environment.databaseUrl, statement);
    const confirms = new HeldConfirms();
    const metrics = new MessagingMetrics(
      new Registry(),
      () => Promise.resolve({ pending: 0, oldestAgeSeconds: 0 }),
      confirms.exchange,
    );
    const relay = new OutboxRelay(
      { appName: 'probe', databaseUrl: environment.databaseUrl, schema, batchSize: 500, pollIntervalMs: 100 },
      confirms,
      metrics,
    );
    const commit = async () => {
      const [row] = await sql<{ id: string }>(
        environment.databaseUrl,
        `INSERT INTO ${schema}.outbox (id, type, subject, occurred_at, envelope)
         SELECT id, 'probe.changed', 'item', now(), jsonb_build_object('id', id) FROM (SELECT gen_random_uuid() AS id) AS n
         RETURNING id`,
      );
      relay.wake();
      return row.id;
    };
    const published = async () =>
      (
        await sql<{ id: string }>(
          environment.databaseUrl,
          `SELECT id FROM ${schema}.outbox WHERE published_at IS NOT NULL ORDER BY position`,
        )
      ).map((row) => row.id);
    relay.start();
    await eventually(() => expect(relay.isLeader).toBe(true));
    return { relay, confirms, commit, published };
  }

  it('publishes a commit made while a batch waits for its confirms, and marks only what was confirmed', async () => {
    const { relay, confirms, commit, published } = await startRelay();
    try {
      const first = await commit();
      await eventually(() => expect(confirms.ids()).toEqual([first]));
      const second = await commit();
      // Out before the first batch's confirms.
      await eventually(() => expect(confirms.ids()).toEqual([first, second]));
      expect(await published()).toEqual([]);

      // Two batches are in the air: a third waits for one of them to be confirmed.
      const third = await commit();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(confirms.ids()).toEqual([first, second]);

      confirms.publishes[0].confirm();
      await eventually(() => expect(confirms.ids()).toEqual([first, second, third]));
      await eventually(async () => expect(await published()).toEqual([first]));

      confirms.publishes.slice(1).forEach((publish) => publish.confirm());
      await eventually(async () => expect(await published()).toEqual([first, second, third]));
      const sequences = confirms.publishes.map((publish) => BigInt(publish.sequence));
      expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
    } finally {
      confirms.publishes.forEach((publish) => publish.confirm());
      await relay.stop();
    }
  });

  it('ends the leadership on a refused publish and publishes again, with its sequence, what was not confirmed', async () => {
    const { relay, confirms, commit, published } = await startRelay();
    try {
      const refused = await commit();
      await eventually(() => expect(confirms.ids()).toEqual([refused]));
      const confirmed = await commit();
      await eventually(() => expect(confirms.ids()).toEqual([refused, confirmed]));

      confirms.publishes[0].refuse(new Error('nack'));
      confirms.publishes[1].confirm();
      await eventually(() => expect(confirms.ids()).toEqual([refused, confirmed, refused]));
      expect(confirms.publishes[2].sequence).toBe(confirms.publishes[0].sequence);
      await eventually(async () => expect(await published()).toEqual([confirmed]));

      confirms.publishes[2].confirm();
      await eventually(async () => expect(await published()).toEqual([refused, confirmed]));
    } finally {
      confirms.publishes.forEach((publish) => publish.confirm());
      await relay.stop();
    }
  });

  it('lets go only after the batches in flight are confirmed, and marks them', async () => {
    const { relay, confirms, commit, published } = await startRelay();
    const id = await commit();
    await eventually(() => expect(confirms.ids()).toEqual([id]));
    const stopped = relay.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(relay.isLeader).toBe(true);
    confirms.publishes[0].confirm();
    await stopped;
    expect(relay.isLeader).toBe(false);
    expect(await published()).toEqual([id]);
  });
});
