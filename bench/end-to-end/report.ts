import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChainFigures } from './measure-chain';
import { median, round } from './statistics';

export interface Rounds {
  platform: ChainFigures[];
  sameWork: ChainFigures[];
}

export interface RunDescription {
  when: string;
  smoke: boolean;
  rounds: number;
  accounts: number;
  inFlight: number;
  maxSeconds: number;
  halfSeconds: number;
  machine: { cpus: number; node: string; loadAverage: number[] };
  /** The PostgreSQL cluster the chains ran on (host:port), as TEST_DATABASE_ADMIN_URL chose it. */
  postgres: string;
  statementStats: string;
}

export const TARGETS = { eventsPerSecondRatioAtLeast: 0.8, p99RatioAtMost: 1.25, rssMiBUnder: 200 } as const;

const medianOf = (runs: ChainFigures[], figure: (run: ChainFigures) => number | undefined): number =>
  round(median(runs.map(figure).filter((value): value is number => value !== undefined && !Number.isNaN(value))), 3);

/** A chain's medians over its rounds. */
function summary(runs: ChainFigures[]) {
  const groups = Object.keys(runs[0].cpu);
  return {
    eventsPerSecond: medianOf(runs, (run) => run.eventsPerSecond),
    acceptedPerSecond: medianOf(runs, (run) => run.acceptedPerSecond),
    halfLoadRate: medianOf(runs, (run) => run.atHalfOwnMax.rate),
    p50Ms: medianOf(runs, (run) => run.atHalfOwnMax.p50Ms),
    p99Ms: medianOf(runs, (run) => run.atHalfOwnMax.p99Ms),
    p99MsAtPlatformHalfLoad: medianOf(runs, (run) => run.atOtherRate?.p99Ms ?? run.atHalfOwnMax.p99Ms),
    p50MsAtPlatformHalfLoad: medianOf(runs, (run) => run.atOtherRate?.p50Ms ?? run.atHalfOwnMax.p50Ms),
    cpu: Object.fromEntries(
      groups.map((group) => [
        group,
        {
          percentOfCore: medianOf(runs, (run) => run.cpu[group]?.percentOfCore),
          msPerEvent: medianOf(runs, (run) => run.cpu[group]?.msPerEvent),
        },
      ]),
    ),
    peakRssMiB: Object.fromEntries(
      Object.keys(runs[0].peakRssMiB).map((name) => [name, medianOf(runs, (run) => run.peakRssMiB[name])]),
    ),
  };
}

/** CPU ms per event of the chain's own processes (its apps or roles), without PostgreSQL and RabbitMQ. */
const appsMsPerEvent = (s: ReturnType<typeof summary>) =>
  Object.entries(s.cpu)
    .filter(([group]) => group !== 'postgres' && group !== 'rabbitmq')
    .reduce((sum, [, figures]) => sum + figures.msPerEvent, 0);

/** Writes bench/results/end-to-end.{json,md}; answers the markdown table. */
export function writeReport(dir: string, run: RunDescription, rounds: Rounds): string {
  const platform = summary(rounds.platform);
  const sameWork = summary(rounds.sameWork);
  const ratio = (a: number, b: number) => round(a / b, 3);
  const ratios = {
    eventsPerSecond: ratio(platform.eventsPerSecond, sameWork.eventsPerSecond),
    p50AtOwnHalfLoad: ratio(platform.p50Ms, sameWork.p50Ms),
    p99AtOwnHalfLoad: ratio(platform.p99Ms, sameWork.p99Ms),
    p99AtPlatformHalfLoad: ratio(platform.p99Ms, sameWork.p99MsAtPlatformHalfLoad),
    appsCpuPerEvent: ratio(appsMsPerEvent(platform), appsMsPerEvent(sameWork)),
    postgresCpuPerEvent: ratio(platform.cpu.postgres.msPerEvent, sameWork.cpu.postgres.msPerEvent),
    rabbitmqCpuPerEvent: ratio(platform.cpu.rabbitmq.msPerEvent, sameWork.cpu.rabbitmq.msPerEvent),
  };
  const met = {
    eventsPerSecond: ratios.eventsPerSecond >= TARGETS.eventsPerSecondRatioAtLeast,
    p99: ratios.p99AtPlatformHalfLoad <= TARGETS.p99RatioAtMost,
    rss: Object.values(platform.peakRssMiB).every((mib) => mib < TARGETS.rssMiBUnder),
  };
  const results = { ...run, targets: TARGETS, met, ratios, platform, sameWork, everyRound: rounds };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'end-to-end.json'), `${JSON.stringify(results, null, 2)}\n`);

  const cpuCell = (s: ReturnType<typeof summary>) =>
    Object.entries(s.cpu)
      .map(([group, figures]) => `${group} ${figures.percentOfCore}% (${figures.msPerEvent} ms/ev)`)
      .join('<br>');
  const rssCell = (s: ReturnType<typeof summary>) =>
    Object.entries(s.peakRssMiB)
      .map(([name, mib]) => `${name} ${Math.round(mib)}`)
      .join('<br>');
  const table = [
    "| chain | events/s at max | ratio | p50 / p99 ms at half of own max | p99 ms at the platform's half load | CPU at half load, % of one core (ms per event) | peak RSS MiB |",
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    `| platform | ${platform.eventsPerSecond} | ${ratios.eventsPerSecond}x | ${platform.p50Ms} / ${platform.p99Ms} (at ${platform.halfLoadRate}/s) | ${platform.p99Ms} (${ratios.p99AtPlatformHalfLoad}x) | ${cpuCell(platform)} | ${rssCell(platform)} |`,
    `| same-work chain | ${sameWork.eventsPerSecond} | 1x | ${sameWork.p50Ms} / ${sameWork.p99Ms} (at ${sameWork.halfLoadRate}/s) | ${sameWork.p99MsAtPlatformHalfLoad} | ${cpuCell(sameWork)} | ${rssCell(sameWork)} |`,
    '',
    `Ratios platform / same-work: events/s ${ratios.eventsPerSecond}x (target >= ${TARGETS.eventsPerSecondRatioAtLeast}, ${met.eventsPerSecond ? 'met' : 'not met'}); ` +
      `p99 at the platform's half load ${ratios.p99AtPlatformHalfLoad}x (target <= ${TARGETS.p99RatioAtMost}, ${met.p99 ? 'met' : 'not met'}); ` +
      `p99 at each one's own half load ${ratios.p99AtOwnHalfLoad}x; app CPU per event ${ratios.appsCpuPerEvent}x; ` +
      `PostgreSQL CPU per event ${ratios.postgresCpuPerEvent}x; RabbitMQ CPU per event ${ratios.rabbitmqCpuPerEvent}x; ` +
      `every app under ${TARGETS.rssMiBUnder} MiB: ${met.rss ? 'yes' : 'no'}.`,
    `Statements per transaction: ${statementsLine(rounds)}.`,
    '',
    'How each records a transaction: the platform in one statement committed on its own (it locks the account, ' +
      'checks it, and writes the transaction, the balance and its version and both outbox rows); the same-work ' +
      'API in 4 round trips (BEGIN, lock, one statement for the rest, COMMIT), as issue #17 set it. Until ' +
      '2026-12-05 the platform took those 4 round trips too.',
  ].join('\n');
  const heading = run.smoke
    ? '# End-to-end benchmark: SMOKE RUN (proves the harness works; not a measurement)\n\n'
    : '# End-to-end benchmark\n\n';
  writeFileSync(
    path.join(dir, 'end-to-end.md'),
    `${heading}${run.when}, ${run.machine.cpus} CPUs (load average ${run.machine.loadAverage.join(' ')} at the start), Node ${run.machine.node}; ` +
      `${run.accounts} accounts, ${run.inFlight} requests in flight for ${run.maxSeconds} s, then an open loop at half ` +
      `of each chain's own maximum for ${run.halfSeconds} s; median of ${run.rounds} interleaved round(s); ` +
      `PostgreSQL at ${run.postgres}. ` +
      `PostgreSQL CPU counts the backends of the chain's database; RabbitMQ CPU is the whole broker (beam.smp).\n\n${table}\n`,
  );
  return table;
}

function statementsLine(rounds: Rounds): string {
  const first = rounds.platform[0].statements;
  if (!first) return 'not measured (pg_stat_statements is not loaded; see README, "End-to-end benchmark")';
  const per = (runs: ChainFigures[]) => median(runs.map((run) => run.statements?.perTransaction ?? Number.NaN));
  return `platform ${per(rounds.platform)}, same-work ${per(rounds.sameWork)} (pg_stat_statements, every process, half-load phase)`;
}
