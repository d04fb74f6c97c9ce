/**
 * npm run bench:e2e
 *
 * The platform end to end (POST /transactions -> outbox -> relay -> RabbitMQ -> ad-engine and
 * notifications -> signed webhook on a loopback receiver) against a hand-written chain that does
 * the same work with the same guarantees (bench/end-to-end/same-work), in the same run, in
 * interleaved rounds, each chain on a fresh database and vhost with 1,000 funded accounts and
 * one endpoint subscribed to transaction.created. Per chain: webhook arrivals per second with
 * BENCH_IN_FLIGHT requests in flight, then latency from the 201 to the webhook at half of that
 * maximum (the same-work chain also at half of the platform's), CPU per process group, peak RSS
 * per process, and statements per transaction when pg_stat_statements is loaded. Every figure is
 * reported as a ratio to the same-work chain. Writes bench/results/end-to-end.{json,md}.
 *
 * BENCH_ROUNDS (3), BENCH_MAX_SECONDS (20), BENCH_HALF_SECONDS (20), BENCH_IN_FLIGHT (64),
 * BENCH_ACCOUNTS (1000), BENCH_TIME_LIMIT_MINUTES (60).
 */
import { createTestEnvironment, TestEnvironment } from '@app/testing';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { ACCOUNTS, RunningChain } from './end-to-end/chain';
import { ChildProcesses } from './end-to-end/child-processes';
import { fundAccounts } from './end-to-end/fund-accounts';
import { LoadDriver } from './end-to-end/load-driver';
import { ChainFigures, measureChain, PhaseSettings } from './end-to-end/measure-chain';
import { ensurePlatformBuilt } from './end-to-end/platform-build';
import { startPlatform } from './end-to-end/platform-chain';
import { Rounds, writeReport } from './end-to-end/report';
import { startSameWorkChain } from './end-to-end/same-work-chain';
import { statementStatsAvailability } from './end-to-end/statement-stats';
import { WebhookArrivals } from './end-to-end/webhook-arrivals';

const ROOT = path.resolve(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 20);
const HALF_SECONDS = Number(process.env.BENCH_HALF_SECONDS ?? 20);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const TIME_LIMIT_MINUTES = Number(process.env.BENCH_TIME_LIMIT_MINUTES ?? 60);
const DRAIN_TIMEOUT_MS = 120_000;
/** Shorter phases than this make a smoke run: the report says so in its title. */
const SMOKE_BELOW_SECONDS = 15;

type Starter = typeof startPlatform;

const processes = new ChildProcesses();
const environments = new Set<TestEnvironment>();

/** One chain, one round: fresh database and vhost, started, funded, measured, stopped, dropped. */
async function round(start: Starter, settings: PhaseSettings, otherRate?: number): Promise<ChainFigures> {
  const environment = await createTestEnvironment();
  environments.add(environment);
  const arrivals = await WebhookArrivals.start();
  let chain: RunningChain | undefined;
  let driver: LoadDriver | undefined;
  try {
    chain = await start(ROOT, environment, processes, arrivals.url);
    driver = new LoadDriver(chain);
    await fundAccounts(chain, driver, arrivals, DRAIN_TIMEOUT_MS);
    const figures = await measureChain(chain, driver, arrivals, processes, settings, otherRate);
    if (arrivals.unsigned > 0) throw new Error(`${chain.name}: ${arrivals.unsigned} webhooks arrived unsigned`);
    process.stdout.write(`${chain.name}: ${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await driver?.close();
    await chain?.stop();
    await arrivals.close();
    await environment.teardown();
    environments.delete(environment);
  }
}

async function cleanUp(): Promise<void> {
  await processes.stopAll();
  await Promise.all([...environments].map((environment) => environment.teardown().catch(() => undefined)));
}

async function main(): Promise<void> {
  ensurePlatformBuilt(ROOT);
  const probe = await createTestEnvironment();
  environments.add(probe);
  const postgres = new URL(probe.databaseUrl).host;
  const statements = await statementStatsAvailability(probe.databaseUrl).finally(async () => {
    await probe.teardown();
    environments.delete(probe);
  });
  if (!statements.available) process.stdout.write(`bench:e2e: statements not counted: ${statements.reason}\n`);
  const settings: PhaseSettings = {
    maxSeconds: MAX_SECONDS,
    halfSeconds: HALF_SECONDS,
    inFlight: IN_FLIGHT,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
    statementStats: statements.available,
  };
  const rounds: Rounds = { platform: [], sameWork: [] };
  const loadAverage = loadavg().map((value) => Number(value.toFixed(2)));
  for (let index = 0; index < ROUNDS; index++) {
    const platform = await round(startPlatform, settings);
    rounds.platform.push(platform);
    rounds.sameWork.push(await round(startSameWorkChain, settings, platform.atHalfOwnMax.rate));
  }
  const table = writeReport(
    path.join(__dirname, 'results'),
    {
      when: new Date().toISOString(),
      smoke: MAX_SECONDS < SMOKE_BELOW_SECONDS || HALF_SECONDS < SMOKE_BELOW_SECONDS || ROUNDS < 3,
      rounds: ROUNDS,
      accounts: ACCOUNTS,
      inFlight: IN_FLIGHT,
      maxSeconds: MAX_SECONDS,
      halfSeconds: HALF_SECONDS,
      machine: { cpus: cpus().length, node: process.version, loadAverage },
      postgres,
      statementStats: statements.available ? 'pg_stat_statements' : (statements.reason as string),
    },
    rounds,
  );
  process.stdout.write(`${table}\n`);
}

// Bounded in time whatever happens: a stuck phase ends the run, and its children, after this.
const limit = setTimeout(() => {
  process.stderr.write(`bench:e2e: over ${TIME_LIMIT_MINUTES} minutes, stopping\n`);
  void cleanUp().finally(() => process.exit(2));
}, TIME_LIMIT_MINUTES * 60_000);
limit.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

main().then(
  () => cleanUp().then(() => process.exit(0)),
  (error: Error) => {
    process.stderr.write(`bench:e2e failed: ${error.stack ?? error.message}\n`);
    void cleanUp().finally(() => process.exit(1));
  },
);
