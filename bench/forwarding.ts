/**
 * npm run bench:forwarding
 *
 * Forwarding throughput to event-bus subscriptions' queues (CONTRACT.md section 8), beside a plain
 * amqplib consume-and-publish loop measured in the same run on the same broker:
 *
 * - platform: the notifications process (from source, NODE_ENV=production, LOG_LEVEL=warn) with one
 *   subscription that matches every event: each event goes through its fan-out (inbox, archive, a
 *   delivery row, in one statement per batch), the dispatcher, and a confirmed, mandatory publish to
 *   `subscriptions.bench`, the attempt recorded in the delivery log.
 * - baseline: a consumer on a quorum queue bound to the same exchange that republishes each message to
 *   a quorum queue on a confirm channel and acks it once confirmed (prefetch 250): at least once, as
 *   the platform is, with no database, no log, no filters and no replay.
 *
 * Both read the same EVENTS events, published with confirms as fast as the broker takes them; the
 * figure is events/s from the first publish to the last arrival in the target queue. Writes
 * bench/results/forwarding.{json,md}.
 */
import { EXCHANGES } from '@app/contracts';
import { ApiClient, AppProcess, catalogueEvent, createTestEnvironment, freePort, spawnApp } from '@app/testing';
import amqplib, { ChannelModel } from 'amqplib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const QUORUM = { durable: true, arguments: { 'x-queue-type': 'quorum' } };
/** The baseline's own exchange: the platform never sees (nor spends anything on) its events. */
const BASELINE_EXCHANGE = 'baseline.events';
const API_KEY = 'bench-forwarding-key';

/** Publishes EVENTS events to `exchange` with confirms, counts arrivals in `target`; answers events/s. */
async function drive(connection: ChannelModel, exchange: string, target: string): Promise<number> {
  const events = Array.from({ length: EVENTS }, () => catalogueEvent('transaction.created'));
  const pending = new Set(events.map((event) => event.id));
  const reader = await connection.createChannel();
  await reader.prefetch(1_000);
  let done!: () => void;
  const arrived = new Promise<void>((resolve) => (done = resolve));
  await reader.consume(target, (message) => {
    if (!message) return;
    reader.ack(message);
    if (pending.delete(String(message.properties.messageId)) && pending.size === 0) done();
  });
  const publisher = await connection.createConfirmChannel();
  const started = performance.now();
  for (const event of events) {
    publisher.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      contentType: 'application/cloudevents+json',
      messageId: event.id,
      type: event.type,
      appId: 'transactions',
    });
  }
  await publisher.waitForConfirms();
  await arrived;
  const seconds = (performance.now() - started) / 1000;
  await reader.close();
  await publisher.close();
  return EVENTS / seconds;
}

/** Waits for the app's readiness (jest's untilReady needs `expect`). */
async function untilReady(app: AppProcess, port: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  let exited = false;
  void app.exited.then(() => (exited = true));
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (exited || Date.now() > deadline) throw new Error(`notifications did not get ready:\n${app.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The baseline forwarder: consume, publish with confirm, ack once confirmed. */
async function startBaseline(url: string): Promise<{ close: () => Promise<void> }> {
  const connection = await amqplib.connect(url, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange(BASELINE_EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue('baseline.source', QUORUM);
  await channel.bindQueue('baseline.source', BASELINE_EXCHANGE, '#');
  await channel.assertQueue('baseline.target', QUORUM);
  await channel.prefetch(250);
  await channel.consume('baseline.source', (message) => {
    if (!message) return;
    channel.publish('', 'baseline.target', message.content, { ...message.properties, mandatory: true }, (error) => {
      if (error) channel.nack(message);
      else channel.ack(message);
    });
  });
  return { close: () => connection.close() };
}

async function main(): Promise<void> {
  const environment = await createTestEnvironment();
  const port = await freePort();
  const app = spawnApp('notifications', {
    ...environment.env,
    PORT: String(port),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    API_KEYS: API_KEY,
  });
  const connection = await amqplib.connect(environment.rabbitmqUrl, { noDelay: true });
  try {
    await untilReady(app, port);
    const api = new ApiClient(`http://127.0.0.1:${port}`, API_KEY);
    const created = await api.post('/subscriptions', { queue: 'bench' });
    if (created.status !== 201) throw new Error(`cannot subscribe: ${created.status} ${JSON.stringify(created.body)}`);
    const forwarder = await startBaseline(environment.rabbitmqUrl);
    const platform: number[] = [];
    const baseline: number[] = [];
    // A warm-up each, then interleaved rounds.
    await drive(connection, EXCHANGES.transactions, 'subscriptions.bench');
    await drive(connection, BASELINE_EXCHANGE, 'baseline.target');
    for (let round = 0; round < ROUNDS; round++) {
      platform.push(await drive(connection, EXCHANGES.transactions, 'subscriptions.bench'));
      baseline.push(await drive(connection, BASELINE_EXCHANGE, 'baseline.target'));
    }
    await forwarder.close();
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const results = {
      when: new Date().toISOString(),
      events: EVENTS,
      rounds: ROUNDS,
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      platformEventsPerSecond: median(platform),
      baselineEventsPerSecond: median(baseline),
      ratio: Number((median(platform) / median(baseline)).toFixed(3)),
      samples: { platform, baseline },
    };
    const dir = path.join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'forwarding.json'), `${JSON.stringify(results, null, 2)}\n`);
    const table = [
      '| path | events/s (median) | ratio |',
      '| --- | ---: | ---: |',
      `| platform: fan-out, delivery log, confirmed forward to subscriptions.bench | ${results.platformEventsPerSecond.toFixed(1)} | ${results.ratio}x |`,
      `| baseline: amqplib consume, confirmed publish, ack | ${results.baselineEventsPerSecond.toFixed(1)} | 1x |`,
    ].join('\n');
    writeFileSync(
      path.join(dir, 'forwarding.md'),
      `# Subscription forwarding benchmark\n\n${results.when}, ${results.machine.cpus} CPUs, Node ${results.machine.node}; ${EVENTS} events per round, median of ${ROUNDS} interleaved rounds.\n\n${table}\n`,
    );
    process.stdout.write(`${table}\n`);
  } finally {
    await connection.close().catch(() => undefined);
    app.child.kill('SIGTERM');
    await app.exited;
    await environment.teardown();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:forwarding failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
