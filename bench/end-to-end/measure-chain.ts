import type { RunningChain } from './chain';
import type { ChildProcesses } from './child-processes';
import type { Answer, LoadDriver } from './load-driver';
import { backendsOf, cpuBetween, peakRssMiB, pidsNamed, snapshot } from './process-sampler';
import { percentile, round } from './statistics';
import { readStatementStats, resetStatementStats, StatementFigures } from './statement-stats';
import type { WebhookArrivals } from './webhook-arrivals';

export interface PhaseSettings {
  maxSeconds: number;
  halfSeconds: number;
  inFlight: number;
  drainTimeoutMs: number;
  statementStats: boolean;
}

export interface LatencyFigures {
  rate: number;
  accepted: number;
  p50Ms: number;
  p99Ms: number;
  /** 201s whose webhook had not arrived when the drain timed out. */
  lost: number;
}

export interface ChainFigures {
  /** Webhook arrivals per second over the last three quarters of the closed loop. */
  eventsPerSecond: number;
  /** 201s per second over the same window. */
  acceptedPerSecond: number;
  statuses: Record<string, number>;
  lostAtMax: number;
  atHalfOwnMax: LatencyFigures;
  /** Latency at another chain's half load (the platform's), when asked for. */
  atOtherRate?: LatencyFigures;
  /** Per process group over the half-load phase: % of one core, and CPU ms per event. */
  cpu: Record<string, { percentOfCore: number; msPerEvent: number }>;
  peakRssMiB: Record<string, number>;
  statements?: StatementFigures;
}

const STEADY_FROM = 0.25;

function created(answers: Answer[]): Answer[] {
  return answers.filter((answer) => answer.status === 201 && answer.id);
}

/** Waits for the webhooks of an open loop's 201s, then answers their latencies from the 201. */
async function latencyOf(
  answers: Answer[],
  rate: number,
  arrivals: WebhookArrivals,
  drainTimeoutMs: number,
): Promise<LatencyFigures> {
  const accepted = created(answers);
  const lost = await arrivals.waitFor(
    accepted.map((answer) => answer.id as string),
    drainTimeoutMs,
  );
  const latencies = accepted
    .filter((answer) => arrivals.arrivedAt.has(answer.id as string))
    .map((answer) => (arrivals.arrivedAt.get(answer.id as string) as number) - answer.at);
  return {
    rate: round(rate),
    accepted: accepted.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    lost,
  };
}

/**
 * One chain's round: the closed loop for its maximum, then an open loop at half of it for
 * latency and CPU (and optionally at `otherRate` too, for a comparison at one offered load).
 */
export async function measureChain(
  chain: RunningChain,
  driver: LoadDriver,
  arrivals: WebhookArrivals,
  processes: ChildProcesses,
  settings: PhaseSettings,
  otherRate?: number,
): Promise<ChainFigures> {
  const started = performance.now();
  const maxAnswers = await driver.closedLoop(settings.inFlight, settings.maxSeconds);
  const ended = performance.now();
  processes.assertAlive(chain.processes);
  const steadyFrom = started + (ended - started) * STEADY_FROM;
  const eventsPerSecond = arrivals.ratePerSecond(steadyFrom, ended);
  const acceptedInWindow = created(maxAnswers).filter((answer) => answer.at >= steadyFrom).length;
  const lostAtMax = await arrivals.waitFor(
    created(maxAnswers).map((answer) => answer.id as string),
    settings.drainTimeoutMs,
  );
  const peak = Object.fromEntries(chain.processes.map((p) => [p.name, round(peakRssMiB(p.pid) ?? Number.NaN)]));

  const rate = Math.max(5, eventsPerSecond / 2);
  if (settings.statementStats) await resetStatementStats(chain.databaseUrl);
  const groups = async (): Promise<Record<string, number[]>> => ({
    postgres: await backendsOf(chain.databaseUrl),
    rabbitmq: pidsNamed('beam.smp'),
    ...Object.fromEntries(chain.processes.map((p) => [p.name, [p.pid]])),
  });
  const pidsBefore = await groups();
  const before = Object.fromEntries(Object.entries(pidsBefore).map(([name, pids]) => [name, snapshot(pids)]));
  const halfAnswers = await driver.openLoop(rate, settings.halfSeconds);
  const pidsAfter = await groups();
  const after = Object.fromEntries(
    Object.entries(pidsAfter).map(([name, pids]) => [name, snapshot([...new Set([...pidsBefore[name], ...pids])])]),
  );
  processes.assertAlive(chain.processes);
  // Drained after the CPU snapshot, so the CPU window is the offered-load window itself.
  const atHalfOwnMax = await latencyOf(halfAnswers, rate, arrivals, settings.drainTimeoutMs);
  const statements = settings.statementStats
    ? await readStatementStats(chain.databaseUrl, atHalfOwnMax.accepted)
    : undefined;
  const events = Math.max(1, atHalfOwnMax.accepted);
  const cpu = Object.fromEntries(
    Object.keys(before).map((name) => {
      const ms = cpuBetween(before[name], after[name]);
      const wall = after[name].at - before[name].at;
      return [name, { percentOfCore: round((ms / wall) * 100), msPerEvent: round(ms / events, 3) }];
    }),
  );
  for (const p of chain.processes) peak[p.name] = Math.max(peak[p.name], round(peakRssMiB(p.pid) ?? Number.NaN));

  const atOtherRate =
    otherRate === undefined
      ? undefined
      : await latencyOf(
          await driver.openLoop(otherRate, settings.halfSeconds),
          otherRate,
          arrivals,
          settings.drainTimeoutMs,
        );
  processes.assertAlive(chain.processes);
  return {
    eventsPerSecond: round(eventsPerSecond),
    acceptedPerSecond: round((acceptedInWindow / (ended - steadyFrom)) * 1000),
    statuses: Object.fromEntries(driver.statuses),
    lostAtMax,
    atHalfOwnMax,
    atOtherRate,
    cpu,
    peakRssMiB: peak,
    statements,
  };
}
