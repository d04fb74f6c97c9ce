import { buildEnvelope } from '@app/contracts';
import { WriteBatcher } from '@app/persistence';
import {
  createTestEnvironment,
  PROBE_QUEUE,
  probeAppDefinition,
  RunningTestApp,
  sql,
  startTestApp,
  TestEnvironment,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Inbox } from '../src';

const effect = () => buildEnvelope({ source: '/tests', type: 'probe.effect', subject: randomUUID(), data: {} });

describe('Inbox.processBatch (a real database)', () => {
  let environment: TestEnvironment;
  let probe: RunningTestApp;
  let inbox: Inbox;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    probe = await startTestApp(probeAppDefinition, environment);
    inbox = probe.app.get(Inbox);
  });

  afterAll(async () => {
    await probe?.close();
    await environment?.teardown();
  });

  const applyEffects = async (manager: EntityManager, events: { id: string }[]) => {
    await manager.query('INSERT INTO probe.effects (event_id) SELECT unnest($1::text[])', [events.map((e) => e.id)]);
  };
  const effectsOf = async (ids: string[]) =>
    (await sql(environment.databaseUrl, 'SELECT event_id FROM probe.effects WHERE event_id = ANY($1)', [ids])).map(
      (row) => row.event_id,
    );

  it('applies each event once: a repeat inside the batch and one applied before are both skipped', async () => {
    const [earlier, a, b] = [effect(), effect(), effect()];
    expect(await inbox.processBatch(PROBE_QUEUE, [earlier], applyEffects)).toEqual([true]);

    const applied = await inbox.processBatch(PROBE_QUEUE, [a, earlier, b, a], applyEffects);

    expect(applied).toEqual([true, false, true, false]);
    expect((await effectsOf([earlier.id, a.id, b.id])).sort()).toEqual([earlier.id, a.id, b.id].sort());
  });

  it('leaves no trace of a batch whose effects fail, so every event in it can be applied later', async () => {
    const events = [effect(), effect()];
    await expect(
      inbox.processBatch(PROBE_QUEUE, events, async (manager, fresh) => {
        await applyEffects(manager, fresh);
        throw new Error('effects failed half-way');
      }),
    ).rejects.toThrow('effects failed half-way');
    expect(await effectsOf(events.map((e) => e.id))).toEqual([]);

    expect(await inbox.processBatch(PROBE_QUEUE, events, applyEffects)).toEqual([true, true]);
  });

  it('behind a WriteBatcher, commits concurrent events together and a poisoned one fails alone', async () => {
    const poisoned = effect();
    const batches: number[] = [];
    const batcher = new WriteBatcher((events: ReturnType<typeof effect>[]) =>
      inbox.processBatch(PROBE_QUEUE, events, async (manager, fresh) => {
        batches.push(fresh.length);
        if (fresh.some((e) => e.id === poisoned.id)) throw new Error('poisoned event');
        await applyEffects(manager, fresh);
      }),
    );
    const events = [...Array.from({ length: 20 }, effect), poisoned, ...Array.from({ length: 20 }, effect)];

    const outcomes = await Promise.allSettled(events.map((e) => batcher.submit(e)));

    expect(batches[0]).toBe(events.length);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(outcomes[20]).toMatchObject({ status: 'rejected', reason: new Error('poisoned event') });
    expect(await effectsOf(events.map((e) => e.id))).toHaveLength(events.length - 1);
  });
});
