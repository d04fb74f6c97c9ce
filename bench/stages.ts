/**
 * npm run bench:stages
 *
 * Where an event's latency goes, stage by stage, on the platform and on the same-work chain of
 * bench:e2e (bench/end-to-end/same-work), one after the other, each on a fresh database and vhost
 * with 1,000 funded accounts and one webhook endpoint. After a warm-up, an open loop at
 * BENCH_STAGES_RATE for BENCH_STAGES_SECONDS; then, per event, the instants its path leaves
 * behind: the outbox row (DB), the 201 (bench), arrival on a tap queue bound beside the consumers
 * (bench), the fan-out's delivery row and the first attempt (DB), the webhook (bench). Reports
 * p50/p90/p99 per stage and chain, the top statements by time when pg_stat_statements is loaded,
 * and the platform apps' GC pauses from their /metrics. Writes bench/results/stages.{json,md}.
 *
 * BENCH_STAGES_RATE (234), BENCH_STAGES_SECONDS (20), BENCH_STAGES_WARMUP_SECONDS (10),
 * BENCH_ACCOUNTS (1000), BENCH_TIME_LIMIT_MINUTES (15).
 */
import { createTestEnvironment, TestEnvironment } from '@app/testing';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { ACCOUNTS, RunningChain } from './end-to-end/chain';
import { ChildProcesses } from './end-to-end/child-processes';
import { fundAccounts } from './end-to-end/fund-accounts';
import { LoadDriver } from './end-to-end/load-driver';
import { ensurePlatformBuilt } from './end-to-end/platform-build';
import { startPlatform } from './end-to-end/platform-chain';
import { startSameWorkChain } from './end-to-end/same-work-chain';
import { readStatementStats, resetStatementStats, statementStatsAvailability } from './end-to-end/statement-stats';
import { WebhookArrivals } from './end-to-end/webhook-arrivals';
import { gcPausesBetween, scrapeGcPauses } from './stages/gc-pauses';
import { ChainStages, writeStagesReport } from './stages/report';
import { stageTimings } from './stages/stage-timings';
import { EventTap } from './stages/tap';

const ROOT = path.resolve(__dirname, '..');
const RATE = Number(process.env.BENCH_STAGES_RATE ?? 234);
const SECONDS = Number(process.env.BENCH_STAGES_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_STAGES_WARMUP_SECONDS ?? 10);
const TIME_LIMIT_MINUTES = Number(process.env.BENCH_TIME_LIMIT_MINUTES ?? 15);
const DRAIN_TIMEOUT_MS = 120_000;
/** A shorter measured loop than this makes a smoke run: the report says so in its title. */
const SMOKE_BELOW_SECONDS = 15;

type Starter = typeof startPlatform;

const processes = new ChildProcesses();
const environments = new Set<TestEnvironment>();

/** One chain: fresh database and vhost, started, funded, warmed up, measured, stopped, dropped. */
async function measure(start: Starter, statementStats: boolean): Promise<ChainStages> {
  const environment = await createTestEnvironment();
  environments.add(environment);
  const arrivals = await WebhookArrivals.start();
  let chain: RunningChain | undefined;
  let driver: LoadDriver | undefined;
  let tap: EventTap | undefined;
  try {
    chain = await start(ROOT, environment, processes, arrivals.url);
    driver = new LoadDriver(chain);
    await fundAccounts(chain, driver, arrivals, DRAIN_TIMEOUT_MS);
    // Bound after the funding, so it holds only the events it is there to time.
    tap = await EventTap.start(environment.rabbitmqUrl);
    const warmUp = await driver.openLoop(RATE, WARMUP_SECONDS);
    await arrivals.waitFor(
      warmUp.filter((answer) => answer.id).map((answer) => answer.id as string),
      DRAIN_TIMEOUT_MS,
    );

    if (statementStats) await resetStatementStats(chain.databaseUrl);
    const gcBefore = chain.appUrls && (await scrapeGcPauses(chain.appUrls));
    const answers = await driver.openLoop(RATE, SECONDS);
    processes.assertAlive(chain.processes);
    const accepted = answers.filter((answer) => answer.status === 201 && answer.id);
    const lost = await arrivals.waitFor(
      accepted.map((answer) => answer.id as string),
      DRAIN_TIMEOUT_MS,
    );
    // After the drain, so the window holds every measured event's whole path.
    const gcAfter = chain.appUrls && (await scrapeGcPauses(chain.appUrls));
    const statements = statementStats ? await readStatementStats(chain.databaseUrl, accepted.length) : undefined;
    if (arrivals.unsigned > 0) throw new Error(`${chain.name}: ${arrivals.unsigned} webhooks arrived unsigned`);

    const statuses: Record<string, number> = {};
    for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const result: ChainStages = {
      chain: chain.name,
      accepted: accepted.length,
      lost,
      statuses,
      stages: await stageTimings(chain.databaseUrl, accepted, tap.arrivedAt, arrivals.arrivedAt),
      statements,
      gcPauses: gcBefore && gcAfter ? gcPausesBetween(gcBefore, gcAfter) : undefined,
    };
    process.stdout.write(`${chain.name}: ${JSON.stringify(result.stages)}\n`);
    return result;
  } finally {
    await tap?.close();
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
  if (!statements.available) process.stdout.write(`bench:stages: no statement figures: ${statements.reason}\n`);
  const loadAverage = loadavg().map((value) => Number(value.toFixed(2)));
  const platform = await measure(startPlatform, statements.available);
  const sameWork = await measure(startSameWorkChain, statements.available);
  const table = writeStagesReport(
    path.join(__dirname, 'results'),
    {
      when: new Date().toISOString(),
      smoke: SECONDS < SMOKE_BELOW_SECONDS,
      rate: RATE,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      accounts: ACCOUNTS,
      machine: { cpus: cpus().length, node: process.version, loadAverage },
      postgres,
      statementStats: statements.available ? 'pg_stat_statements' : (statements.reason as string),
    },
    platform,
    sameWork,
  );
  process.stdout.write(`${table}\n`);
}

// Bounded in time whatever happens: a stuck phase ends the run, and its children, after this.
const limit = setTimeout(() => {
  process.stderr.write(`bench:stages: over ${TIME_LIMIT_MINUTES} minutes, stopping\n`);
  void cleanUp().finally(() => process.exit(2));
}, TIME_LIMIT_MINUTES * 60_000);
limit.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

main().then(
  () => cleanUp().then(() => process.exit(0)),
  (error: Error) => {
    process.stderr.write(`bench:stages failed: ${error.stack ?? error.message}\n`);
    void cleanUp().finally(() => process.exit(1));
  },
);
