/**
 * npm run bench:backbone
 *
 * Drives commits through the platform's event backbone (outbox row in the same transaction as
 * the change -> leader relay -> confirmed publish -> RabbitMQ -> Nest transport consumer applying
 * each event once through its inbox) and, in the same run on the same machine, through a
 * hand-written baseline (plain pg insert, plain amqplib confirm-publish, plain amqplib consume).
 * Reports throughput and end-to-end latency (commit to handled) as ratios to the baseline, since
 * absolute numbers on a shared 2-core machine mean little. Writes bench/results/backbone.{json,md}.
 */
import { OutboxWriter } from '@app/messaging';
import { PreparedStatement } from '@app/persistence';
import { createTestEnvironment, probeAppDefinition, ProbeConsumer, startTestApp, TestEnvironment } from '@app/testing';
import amqplib from 'amqplib';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
const PREFETCH = 100;
/**
 * While iterating on one path (e.g. under --cpu-prof): `inbox`, `plain` and/or `baseline`, comma
 * separated. Figures are printed and the results files are left alone unless all three ran.
 */
const ONLY = process.env.BENCH_PATHS?.split(',').map((name) => name.trim());

interface Path {
  name: string;
  /** Commits one change with its event; `sentAt` travels in the event for latency. */
  commit(id: string): Promise<void>;
  /** Resolves when `count` more events have been handled. */
  handled: Map<string, number>;
  close(): Promise<void>;
}

interface Figures {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rate: number;
}

/**
 * `probe.effect` events are applied through the inbox (one more transaction per event on the
 * consumer side); `probe.changed` events only reach the handler.
 */
async function backbonePath(environment: TestEnvironment, eventType: 'probe.effect' | 'probe.changed'): Promise<Path> {
  const app = await startTestApp(probeAppDefinition, environment, {
    CONSUMER_PREFETCH: String(PREFETCH),
    OUTBOX_POLL_INTERVAL_MS: '1000',
  });
  const dataSource = app.app.get<DataSource>(getDataSourceToken());
  const outbox = app.app.get(OutboxWriter);
  // The change and its event in one statement, committed on its own: the platform's one-round-trip
  // write (OutboxWriter.execute), as the baseline's change is one INSERT.
  const insertItem = new PreparedStatement(
    'bench-insert-item',
    `WITH item AS (INSERT INTO probe.items (id, name, aggregate) VALUES ($1, $2, $3)) ${outbox.insertSql(4)}`,
  );
  const handled = new Map<string, number>();
  ProbeConsumer.onHandled = (event) => handled.set((event.data as { ref: string }).ref, performance.now());
  return {
    name: eventType === 'probe.effect' ? 'backbone, idempotent consumer' : 'backbone, plain consumer',
    handled,
    commit: async (id) => {
      const event = outbox.toRows([{ type: eventType, subject: id, data: { ref: id } }]);
      await outbox.execute(dataSource, insertItem, [id, 'bench', id, ...event.columns]);
    },
    close: async () => {
      ProbeConsumer.onHandled = undefined;
      await app.close();
    },
  };
}

async function baselinePath(environment: TestEnvironment): Promise<Path> {
  const pool = new Pool({ connectionString: environment.databaseUrl, max: 10 });
  await pool.query('CREATE TABLE IF NOT EXISTS baseline_items (id uuid PRIMARY KEY, name text NOT NULL)');
  // Same socket option as the platform's connection (see RabbitMqConnection), to compare like with like.
  const connection = await amqplib.connect(environment.rabbitmqUrl, { noDelay: true });
  const publisher = await connection.createConfirmChannel();
  const consumer = await connection.createChannel();
  await publisher.assertExchange('baseline.events', 'topic', { durable: true });
  await consumer.assertQueue('baseline.consumer', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await consumer.bindQueue('baseline.consumer', 'baseline.events', '#');
  await consumer.prefetch(PREFETCH);
  const handled = new Map<string, number>();
  await consumer.consume('baseline.consumer', (message) => {
    if (!message) return;
    handled.set((JSON.parse(message.content.toString()) as { data: { ref: string } }).data.ref, performance.now());
    consumer.ack(message);
  });
  return {
    name: 'baseline',
    handled,
    commit: async (id) => {
      await pool.query('INSERT INTO baseline_items (id, name) VALUES ($1, $2)', [id, 'bench']);
      const body = Buffer.from(
        JSON.stringify({ specversion: '1.0', id: randomUUID(), type: 'probe.effect', data: { ref: id } }),
      );
      await new Promise<void>((resolve, reject) =>
        publisher.publish('baseline.events', 'probe.effect', body, { persistent: true }, (error) =>
          error ? reject(error as Error) : resolve(),
        ),
      );
    },
    close: async () => {
      await connection.close();
      await pool.end();
    },
  };
}

async function waitHandled(path: Path, ids: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !path.handled.has(id))) {
    if (Date.now() > deadline) throw new Error(`${path.name}: events not handled within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** As fast as it goes: CONCURRENCY committers, EVENTS events, first commit to last handled. */
async function maxThroughput(path: Path): Promise<number> {
  const ids = Array.from({ length: EVENTS }, () => randomUUID());
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ids.length) await path.commit(ids[next++]);
    }),
  );
  await waitHandled(path, ids);
  return (EVENTS / (performance.now() - started)) * 1000;
}

/** A steady `rate` of commits for LATENCY_SECONDS; latency is commit start to handled. */
async function latencyAt(path: Path, rate: number): Promise<{ p50: number; p99: number }> {
  const total = Math.max(50, Math.round(rate * LATENCY_SECONDS));
  const intervalMs = 1000 / rate;
  const sentAt = new Map<string, number>();
  const commits: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = randomUUID();
    sentAt.set(id, performance.now());
    commits.push(path.commit(id));
  }
  await Promise.all(commits);
  await waitHandled(path, [...sentAt.keys()]);
  const latencies = [...sentAt].map(([id, at]) => (path.handled.get(id) as number) - at).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { p50: percentile(50), p99: percentile(99) };
}

async function measure(path: Path, rate?: number): Promise<Figures> {
  await maxThroughput({ ...path }); // warm-up: JIT, pools, channels
  const eventsPerSecond = await maxThroughput(path);
  const steadyRate = rate ?? Math.max(10, Math.floor(eventsPerSecond / 2));
  const { p50, p99 } = await latencyAt(path, steadyRate);
  return { eventsPerSecond, p50Ms: p50, p99Ms: p99, rate: steadyRate };
}

async function measureOnly(environment: TestEnvironment, names: string[]): Promise<void> {
  const opening: Record<string, () => Promise<Path>> = {
    inbox: () => backbonePath(environment, 'probe.effect'),
    plain: () => backbonePath(environment, 'probe.changed'),
    baseline: () => baselinePath(environment),
  };
  for (const name of names) {
    const open = opening[name];
    if (!open) throw new Error(`BENCH_PATHS: unknown path "${name}" (inbox, plain, baseline)`);
    const opened = await open();
    const figures = await measure(opened);
    await opened.close();
    process.stdout.write(`${name}: ${JSON.stringify(figures)}\n`);
  }
}

async function main(): Promise<void> {
  const environment = await createTestEnvironment();
  try {
    if (ONLY) return await measureOnly(environment, ONLY);
    const withInbox = await backbonePath(environment, 'probe.effect');
    const idempotent = await measure(withInbox);
    await withInbox.close();
    const withoutInbox = await backbonePath(environment, 'probe.changed');
    const plain = await measure(withoutInbox, idempotent.rate);
    await withoutInbox.close();
    const baselineImpl = await baselinePath(environment);
    // Latency is compared at the same offered load: half of the full backbone's maximum.
    const baseline = await measure(baselineImpl, idempotent.rate);
    await baselineImpl.close();

    const ratio = (figures: Figures) => Number((figures.eventsPerSecond / baseline.eventsPerSecond).toFixed(3));
    const results = {
      when: new Date().toISOString(),
      events: EVENTS,
      concurrency: CONCURRENCY,
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      backboneIdempotentConsumer: { ...idempotent, throughputRatio: ratio(idempotent) },
      backbonePlainConsumer: { ...plain, throughputRatio: ratio(plain) },
      baseline,
      targets: { throughputRatioAtLeast: 0.7, p99MsAtHalfLoadUnder: 50 },
      met: {
        throughput: ratio(idempotent) >= 0.7,
        throughputWithoutInbox: ratio(plain) >= 0.7,
        latency: idempotent.p99Ms < 50,
      },
    };
    const dir = path.join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'backbone.json'), `${JSON.stringify(results, null, 2)}\n`);
    const fmt = (n: number) => n.toFixed(1);
    const row = (name: string, f: Figures, r: string) =>
      `| ${name} | ${fmt(f.eventsPerSecond)} | ${r} | ${f.rate} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} |`;
    const table = [
      '| path | events/s (max) | ratio to baseline | load for latency (events/s) | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      row('backbone: outbox, relay, transport, inbox consumer', idempotent, `${ratio(idempotent)}x`),
      row('backbone: outbox, relay, transport, plain handler', plain, `${ratio(plain)}x`),
      row('baseline: pg insert, amqplib confirm publish, consume', baseline, '1x'),
      '',
      `Targets: throughput >= 0.7x the baseline; p99 < 50 ms at half of the backbone's maximum load ` +
        `(${idempotent.rate} events/s).`,
      '',
      `What each commits: the baseline one autocommitted INSERT, then a confirmed publish; the backbone one ` +
        `statement committed on its own that inserts the change and its outbox row (OutboxWriter.execute, ` +
        `the platform's one-round-trip write, as POST /transactions uses it), then the relay publishes. Until ` +
        `2026-12-05 the backbone's commit was a TypeORM transaction (BEGIN, two INSERTs, COMMIT: four round ` +
        `trips to the baseline's one). The inbox consumer applies what arrives together in one statement ` +
        `(inbox and effect, Inbox.freshEventsCte), as the notifications fan-out does. Everything runs in ` +
        `this one process, so the commit path's CPU competes with the relay's and the consumer's.`,
    ].join('\n');
    writeFileSync(
      path.join(dir, 'backbone.md'),
      `# Event backbone benchmark\n\n${results.when}, ${results.machine.cpus} CPUs, Node ${results.machine.node}, ${EVENTS} events, ${CONCURRENCY} concurrent committers.\n\n${table}\n`,
    );
    process.stdout.write(`${table}\n`);
  } finally {
    await environment.teardown();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:backbone failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
