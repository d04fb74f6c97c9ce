/**
 * npm run bench:webhooks
 *
 * Deliveries per second from the notifications service (event consumed from RabbitMQ, fanned out
 * into a delivery row, claimed, signed, POSTed with undici, attempt recorded) to a loopback
 * receiver, against a plain undici POST loop to the same receiver in the same run, with the same
 * concurrency as the service allows per endpoint. Each path runs BENCH_ROUNDS times (5), in turns,
 * and its median is reported, with the CPU time the whole machine spent per delivery (steadier
 * than throughput on a shared machine). Writes bench/results/webhooks.{json,md}.
 */
import { EXCHANGES } from '@app/contracts';
import {
  AmqpProbe,
  ApiClient,
  catalogueEvent,
  createTestEnvironment,
  sql,
  startTestApp,
  WebhookReceiver,
} from '@app/testing';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import amqplib from 'amqplib';
import { Agent, request } from 'undici';
import { appDefinition, DeliveryDispatcher, notificationsEnvSchema, signatureHeader } from '../apps/notifications/src';

/** The service's default WEBHOOK_ENDPOINT_CONCURRENCY, which the runs below leave as it is. */
const PER_ENDPOINT_CONCURRENCY = notificationsEnvSchema.parse({}).WEBHOOK_ENDPOINT_CONCURRENCY;
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 6_000);

interface Run {
  perSecond: number;
  /** CPU time of the whole machine (every process: Node, PostgreSQL, RabbitMQ) per delivery. */
  cpuMsEach: number;
}

/** CPU time the machine has spent so far, in ms (Linux: /proc/stat; elsewhere NaN). */
function machineCpuMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Wall time and machine CPU from now: throughput varies with whatever else the machine does,
 * while the CPU a delivery costs is steadier, and says which path does less work.
 */
function stopwatch(): (count: number) => Run {
  const started = performance.now();
  const cpuAtStart = machineCpuMs();
  return (count) => ({
    perSecond: (count / (performance.now() - started)) * 1000,
    cpuMsEach: (machineCpuMs() - cpuAtStart) / count,
  });
}

// A catalogue event (contract-valid data): the transport dead-letters anything else.
const event = () => catalogueEvent('transaction.created');

async function waitFor(receiver: WebhookReceiver, count: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (receiver.received.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${receiver.received.length} of ${count} deliveries arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function service(): Promise<Run> {
  const environment = await createTestEnvironment();
  const receiver = await WebhookReceiver.start();
  const app = await startTestApp(appDefinition, environment, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  try {
    await new ApiClient(app.url).post('/webhooks', { url: receiver.url });
    const warmUp = 100;
    for (let i = 0; i < warmUp; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    await waitFor(receiver, warmUp);
    const stop = stopwatch();
    for (let i = 0; i < DELIVERIES; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    await waitFor(receiver, warmUp + DELIVERIES);
    return stop(DELIVERIES);
  } finally {
    await amqp.close();
    await app.close();
    await receiver.close();
    await environment.teardown();
  }
}

/** The fan-out stage alone: events consumed into delivery rows, with the dispatcher stopped. */
async function fanOutOnly(): Promise<Run> {
  const environment = await createTestEnvironment();
  const app = await startTestApp(appDefinition, environment, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  try {
    await new ApiClient(app.url).post('/webhooks', { url: 'http://127.0.0.1:9/never-called' });
    await app.app.get(DeliveryDispatcher).beforeApplicationShutdown();
    const stop = stopwatch();
    for (let i = 0; i < DELIVERIES; i++) amqp.publishEvent(EXCHANGES.transactions, event());
    for (;;) {
      const [row] = await sql(environment.databaseUrl, 'SELECT count(*)::int AS count FROM notifications.deliveries');
      if ((row.count as number) >= DELIVERIES) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return stop(DELIVERIES);
  } finally {
    await amqp.close();
    await app.close();
    await environment.teardown();
  }
}

/** The delivery stage alone: a backlog of due deliveries claimed, signed, POSTed and recorded. */
async function deliveryOnly(): Promise<Run> {
  const environment = await createTestEnvironment();
  const receiver = await WebhookReceiver.start();
  let app = await startTestApp(appDefinition, environment, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const endpoint = (await new ApiClient(app.url).post('/webhooks', { url: receiver.url })).body as { id: string };
  await app.close();
  try {
    const rows = Array.from({ length: DELIVERIES }, () => {
      const envelope = event();
      return { id: randomUUID(), endpoint_id: endpoint.id, event_id: envelope.id, event_type: envelope.type, envelope };
    });
    await sql(
      environment.databaseUrl,
      `INSERT INTO notifications.deliveries
         (id, endpoint_id, event_id, event_type, envelope, status, next_attempt_at, created_at, updated_at)
       SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.envelope, 'pending', now(), now(), now()
       FROM json_to_recordset($1::json) AS d(id uuid, endpoint_id uuid, event_id text, event_type text, envelope jsonb)`,
      [JSON.stringify(rows)],
    );
    app = await startTestApp(appDefinition, environment, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    // From the first delivery on: the app's start is not part of this stage.
    await waitFor(receiver, 1);
    const stop = stopwatch();
    await waitFor(receiver, DELIVERIES);
    return stop(DELIVERIES - 1);
  } finally {
    await app.close();
    await receiver.close();
    await environment.teardown();
  }
}

const FLOOR_PREFETCH = 256;

/**
 * The least any design does for a backlog: consume from RabbitMQ, sign, POST and ack, with no
 * database at all (nothing durable between the queue and the receiver), as many at a time.
 */
async function noDatabaseFloor(): Promise<Run> {
  const environment = await createTestEnvironment();
  const receiver = await WebhookReceiver.start();
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: PER_ENDPOINT_CONCURRENCY });
  const connection = await amqplib.connect(environment.rabbitmqUrl, { noDelay: true });
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('floor', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (let i = 0; i < DELIVERIES; i++) {
      channel.sendToQueue('floor', Buffer.from(JSON.stringify(event())), { persistent: true });
    }
    await channel.waitForConfirms();
    // Messages in hand well beyond the 16 connections (undici queues the rest), so the consumer
    // never waits for an ack's round trip to the broker before it has the next one to send.
    await channel.prefetch(FLOOR_PREFETCH);
    const secret = `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}`;
    let done = 0;
    const stop = stopwatch();
    await new Promise<void>((resolve) => {
      void channel.consume('floor', (message) => {
        if (!message) return;
        const body = message.content.toString('utf8');
        const id = (JSON.parse(body) as { id: string }).id;
        const now = new Date();
        void request(receiver.url, {
          method: 'POST',
          body,
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signatureHeader([secret], id, now, body),
          },
        })
          .then((response) => response.body.text())
          .then(() => {
            channel.ack(message);
            if (++done === DELIVERIES) resolve();
          });
      });
    });
    return stop(DELIVERIES);
  } finally {
    await connection.close();
    await agent.close();
    await receiver.close();
    await environment.teardown();
  }
}

/** A plain undici POST loop to the receiver, `concurrency` POSTs at a time. */
async function postLoop(concurrency: number): Promise<Run> {
  const receiver = await WebhookReceiver.start();
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: concurrency });
  try {
    const post = async () => {
      const body = JSON.stringify(event());
      const response = await request(receiver.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
      });
      await response.body.text();
    };
    for (let i = 0; i < 100; i++) await post();
    let sent = 0;
    const stop = stopwatch();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < DELIVERIES) {
          sent++;
          await post();
        }
      }),
    );
    return stop(DELIVERIES);
  } finally {
    await agent.close();
    await receiver.close();
  }
}

/** The baseline: as many POSTs at a time as the service allows per endpoint. */
const baseline = () => postLoop(PER_ENDPOINT_CONCURRENCY);
/** The loop read literally: one POST after another. */
const sequentialLoop = () => postLoop(1);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Every path ROUNDS times, taking turns so that a slow spell of the machine hits all of them. */
async function rounds(paths: (() => Promise<Run>)[]): Promise<Run[][]> {
  const runs: Run[][] = paths.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, run] of paths.entries()) runs[index].push(await run());
  }
  return runs;
}

const median = (figures: number[]): number => [...figures].sort((a, b) => a - b)[Math.floor(figures.length / 2)];

/** A path's medians over its rounds, and every round's figures. */
function summary(runs: Run[]) {
  return {
    perSecond: Math.round(median(runs.map((run) => run.perSecond))),
    cpuMsEach: Number(median(runs.map((run) => run.cpuMsEach)).toFixed(3)),
    everyRound: runs.map((run) => ({
      perSecond: Math.round(run.perSecond),
      cpuMsEach: Number(run.cpuMsEach.toFixed(3)),
    })),
  };
}

const PATHS = {
  service: 'notifications: consume, fan out, claim, sign, POST, record attempt',
  fanOutOnly: 'stage: fan-out only (dispatcher stopped)',
  deliveryOnly: 'stage: delivery only (from a backlog of due deliveries)',
  noDatabaseFloor: 'reference: a backlog consumed from RabbitMQ, signed, POSTed, acked; no database',
  sequentialLoop: 'plain undici POST loop, one at a time',
  baseline: `baseline: plain undici POST loop, ${PER_ENDPOINT_CONCURRENCY} at a time`,
} as const;
const RUNNERS: Record<keyof typeof PATHS, () => Promise<Run>> = {
  service,
  fanOutOnly,
  deliveryOnly,
  noDatabaseFloor,
  sequentialLoop,
  baseline,
};

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY as keyof typeof PATHS | undefined;
  if (only) {
    // One path on its own (under --cpu-prof, say), nothing written: BENCH_ONLY=service
    if (!RUNNERS[only]) throw new Error(`BENCH_ONLY=${only}: no such path`);
    const [runs] = await rounds([RUNNERS[only]]);
    process.stdout.write(`${only}: ${JSON.stringify(summary(runs))}\n`);
    return;
  }
  const names = Object.keys(PATHS) as (keyof typeof PATHS)[];
  const runs = await rounds(names.map((name) => RUNNERS[name]));
  const paths = Object.fromEntries(names.map((name, index) => [name, summary(runs[index])])) as Record<
    keyof typeof PATHS,
    ReturnType<typeof summary>
  >;
  const plain = paths.baseline;
  const ratio = Number((paths.service.perSecond / plain.perSecond).toFixed(3));
  const results = {
    when: new Date().toISOString(),
    deliveries: DELIVERIES,
    rounds: ROUNDS,
    concurrencyPerEndpoint: PER_ENDPOINT_CONCURRENCY,
    machine: { cpus: cpus().length, node: process.version },
    paths,
    ratio,
    target: { ratioAtLeast: 0.5 },
    met: ratio >= 0.5,
  };
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'webhooks.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = [
    '| path | per second | ratio | machine CPU per delivery | CPU ratio |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...names.map((name) => {
      const figures = paths[name];
      return `| ${PATHS[name]} | ${figures.perSecond} | ${(figures.perSecond / plain.perSecond).toFixed(3)}x | ${figures.cpuMsEach} ms | ${(figures.cpuMsEach / plain.cpuMsEach).toFixed(2)}x |`;
    }),
    '',
    'Target: at least 0.5x the baseline. Machine CPU counts every process (Node, PostgreSQL, RabbitMQ).',
  ].join('\n');
  writeFileSync(
    path.join(dir, 'webhooks.md'),
    `# Webhook delivery benchmark\n\n${results.when}, ${results.machine.cpus} CPUs, Node ${results.machine.node}, ${DELIVERIES} deliveries to one loopback endpoint, median of ${ROUNDS} rounds.\n\n${table}\n`,
  );
  process.stdout.write(`${table}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:webhooks failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
