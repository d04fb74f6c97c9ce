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
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { ACCOUNTS } from './end-to-end/chain';
import { BenchSession, ChainStarter } from './end-to-end/bench-session';
import { ensurePlatformBuilt } from './end-to-end/platform-build';
import { startPlatform } from './end-to-end/platform-chain';
import { startSameWorkChain } from './end-to-end/same-work-chain';
import { readStatementStats, resetStatementStats } from './end-to-end/statement-stats';
import { gcPausesBetween, scrapeGcPauses } from './stages/gc-pauses';
import { ChainStages, writeStagesReport } from './stages/report';
import { stageTimings } from './stages/stage-timings';
import { EventTap } from './stages/tap';

const ROOT = path.resolve(__dirname, '..');
const RATE = Number(process.env.BENCH_STAGES_RATE ?? 234);
const SECONDS = Number(process.env.BENCH_STAGES_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_STAGES_WARMUP_SECONDS ?? 10);

const session = new BenchSession(ROOT, 'bench:stages', 15);

/** One chain: fresh database and vhost, started, funded, warmed up, measured, stopped, dropped. */
function measure(start: ChainStarter, statementStats: boolean): Promise<ChainStages> {
  return session.withFundedChain(start, async ({ chain, driver, arrivals, environment }) => {
    // Bound after the funding, so it holds only the events it is there to time.
    const tap = await EventTap.start(environment.rabbitmqUrl);
    try {
      const warmUp = await driver.openLoop(RATE, WARMUP_SECONDS);
      await arrivals.waitFor(
        warmUp.filter((answer) => answer.id).map((answer) => answer.id as string),
        session.drainTimeoutMs,
      );

      if (statementStats) await resetStatementStats(chain.databaseUrl);
      const gcBefore = chain.appUrls && (await scrapeGcPauses(chain.appUrls));
      const answers = await driver.openLoop(RATE, SECONDS);
      session.processes.assertAlive(chain.processes);
      const accepted = answers.filter((answer) => answer.status === 201 && answer.id);
      const lost = await arrivals.waitFor(
        accepted.map((answer) => answer.id as string),
        session.drainTimeoutMs,
      );
      // After the drain, so the window holds every measured event's whole path.
      const gcAfter = chain.appUrls && (await scrapeGcPauses(chain.appUrls));
      const statements = statementStats ? await readStatementStats(chain.databaseUrl, accepted.length) : undefined;

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
      await tap.close();
    }
  });
}

async function main(): Promise<void> {
  ensurePlatformBuilt(ROOT);
  const { postgres, statements } = await session.probe();
  if (!statements.available) process.stdout.write(`bench:stages: no statement figures: ${statements.reason}\n`);
  const loadAverage = loadavg().map((value) => Number(value.toFixed(2)));
  const platform = await measure(startPlatform, statements.available);
  const sameWork = await measure(startSameWorkChain, statements.available);
  const table = writeStagesReport(
    path.join(__dirname, 'results'),
    {
      when: new Date().toISOString(),
      smoke: BenchSession.isSmoke(SECONDS),
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

session.run(main);
