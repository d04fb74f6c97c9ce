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
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { ACCOUNTS } from './end-to-end/chain';
import { BenchSession, ChainStarter } from './end-to-end/bench-session';
import { ChainFigures, measureChain, PhaseSettings } from './end-to-end/measure-chain';
import { ensurePlatformBuilt } from './end-to-end/platform-build';
import { startPlatform } from './end-to-end/platform-chain';
import { Rounds, writeReport } from './end-to-end/report';
import { startSameWorkChain } from './end-to-end/same-work-chain';

const ROOT = path.resolve(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 20);
const HALF_SECONDS = Number(process.env.BENCH_HALF_SECONDS ?? 20);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);

const session = new BenchSession(ROOT, 'bench:e2e', 60);

/** One chain, one round: fresh database and vhost, started, funded, measured, stopped, dropped. */
function round(start: ChainStarter, settings: PhaseSettings, otherRate?: number): Promise<ChainFigures> {
  return session.withFundedChain(start, async ({ chain, driver, arrivals }) => {
    const figures = await measureChain(chain, driver, arrivals, session.processes, settings, otherRate);
    process.stdout.write(`${chain.name}: ${JSON.stringify(figures)}\n`);
    return figures;
  });
}

async function main(): Promise<void> {
  ensurePlatformBuilt(ROOT);
  const { postgres, statements } = await session.probe();
  if (!statements.available) process.stdout.write(`bench:e2e: statements not counted: ${statements.reason}\n`);
  const settings: PhaseSettings = {
    maxSeconds: MAX_SECONDS,
    halfSeconds: HALF_SECONDS,
    inFlight: IN_FLIGHT,
    drainTimeoutMs: session.drainTimeoutMs,
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
      smoke: BenchSession.isSmoke(MAX_SECONDS, HALF_SECONDS) || ROUNDS < 3,
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

session.run(main);
