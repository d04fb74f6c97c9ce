import { EVENT_SOURCES, EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  AppProcess,
  commitUnpublishedEvent,
  createTestEnvironment,
  eventually,
  freePort,
  spawnApp,
  untilReady,
  TestEnvironment,
} from '@app/testing';

const isLeader = async (port: number) =>
  /^outbox_relay_leader\{[^}]*\} 1$/m.test(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());

describe('outbox relay fail-over between processes', () => {
  let environment: TestEnvironment;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    for (const started of processes) started.child.kill('SIGKILL');
    await Promise.all(processes.map((started) => started.exited));
    await environment?.teardown();
  });

  it('a follower takes over within seconds when the leader is killed with SIGKILL', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      processes.push(
        spawnApp('transactions', { ...environment.env, PORT: String(port), OUTBOX_POLL_INTERVAL_MS: '250' }),
      );
    }
    await Promise.all(ports.map(untilReady));
    const leaders = await eventually(async () => {
      const flags = await Promise.all(ports.map(isLeader));
      expect(flags.filter(Boolean)).toHaveLength(1);
      return flags;
    });
    const leaderIndex = leaders.indexOf(true);
    const probe = await AmqpProbe.connect(environment.rabbitmqUrl);
    try {
      await probe.listen(EXCHANGES.transactions, '#');
      processes[leaderIndex].child.kill('SIGKILL');
      expect(await processes[leaderIndex].exited).toBe('SIGKILL');
      const committed: string[] = [];
      for (let i = 0; i < 3; i++) {
        const event = { source: EVENT_SOURCES.transactions, type: 'transaction.created', subject: `failover-${i}` };
        committed.push((await commitUnpublishedEvent(environment.databaseUrl, 'transactions', event)).id);
      }
      const started = Date.now();
      await eventually(() => expect(probe.bodies().map((b) => b.id)).toEqual(committed), { timeoutMs: 10_000 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await isLeader(ports[1 - leaderIndex])).toBe(true);
    } finally {
      await probe.close();
    }
  });
});
