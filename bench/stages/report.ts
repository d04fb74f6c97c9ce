import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { round } from '../end-to-end/statistics';
import type { StatementFigures } from '../end-to-end/statement-stats';
import type { GcPauses } from './gc-pauses';
import { Stage, StageFigures, STAGE_SPANS, STAGES } from './stage-timings';

export interface ChainStages {
  chain: 'platform' | 'same-work';
  /** 201s of the measured open loop, and how many of their webhooks never arrived. */
  accepted: number;
  lost: number;
  statuses: Record<string, number>;
  stages: Record<Stage, StageFigures>;
  statements?: StatementFigures;
  /** The platform's apps over the measured phase (the same-work roles serve no /metrics). */
  gcPauses?: Record<string, GcPauses>;
}

export interface RunDescription {
  when: string;
  smoke: boolean;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  accounts: number;
  machine: { cpus: number; node: string; loadAverage: number[] };
  postgres: string;
  statementStats: string;
}

const TOP_STATEMENTS_SHOWN = 5;

const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${round(a / b, 2)}x` : '-');
const cell = (text: string) => text.replace(/\|/g, '\\|');

function gcLine(app: string, kinds: GcPauses): string {
  const total = Object.values(kinds).reduce((sum, figures) => sum + figures.totalMs, 0);
  const count = Object.values(kinds).reduce((sum, figures) => sum + figures.count, 0);
  const byKind = Object.entries(kinds)
    .filter(([, figures]) => figures.count > 0)
    .map(([kind, figures]) => `${kind} ${figures.totalMs} ms / ${figures.count}`)
    .join(', ');
  return `- ${app}: ${round(total)} ms in ${count} pauses (${byKind || 'none'})`;
}

function statementsSection(result: ChainStages): string[] {
  if (!result.statements?.top) return [];
  return [
    '',
    `Top statements by total time, ${result.chain} (measured phase; ${result.statements.perTransaction} statements per 201):`,
    '',
    '| calls | total ms | mean ms | statement |',
    '| ---: | ---: | ---: | --- |',
    ...result.statements.top
      .slice(0, TOP_STATEMENTS_SHOWN)
      .map((s) => `| ${s.calls} | ${s.totalMs} | ${s.meanMs} | \`${cell(s.query.slice(0, 140))}\` |`),
  ];
}

/** Writes bench/results/stages.{json,md}; answers the stage table. */
export function writeStagesReport(
  dir: string,
  run: RunDescription,
  platform: ChainStages,
  sameWork: ChainStages,
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'stages.json'), `${JSON.stringify({ ...run, platform, sameWork }, null, 2)}\n`);

  const pair = (figures: StageFigures) => `${figures.p50Ms} / ${figures.p99Ms}`;
  const table = [
    '| stage | from -> to | platform p50 / p99 ms | same-work p50 / p99 ms | platform / same-work p50 / p99 |',
    '| --- | --- | ---: | ---: | ---: |',
    ...STAGES.map((stage) => {
      const p = platform.stages[stage];
      const s = sameWork.stages[stage];
      return `| ${stage} | ${STAGE_SPANS[stage]} | ${pair(p)} | ${pair(s)} | ${ratio(p.p50Ms, s.p50Ms)} / ${ratio(p.p99Ms, s.p99Ms)} |`;
    }),
    '',
    `Events measured: platform ${platform.stages.total.n} of ${platform.accepted} 201s (${platform.lost} webhooks lost), ` +
      `same-work ${sameWork.stages.total.n} of ${sameWork.accepted} (${sameWork.lost} lost).`,
  ].join('\n');
  const gc = platform.gcPauses
    ? [
        '',
        'GC pauses of the platform over the measured phase (nodejs_gc_duration_seconds, by kind: total / count):',
        '',
      ]
        .concat(Object.entries(platform.gcPauses).map(([app, kinds]) => gcLine(app, kinds)))
        .join('\n')
    : '';
  const statements = [...statementsSection(platform), ...statementsSection(sameWork)].join('\n');
  const heading = run.smoke
    ? '# Stages benchmark: SMOKE RUN (proves the harness works; not a measurement)\n\n'
    : '# Stages benchmark\n\n';
  writeFileSync(
    path.join(dir, 'stages.md'),
    `${heading}${run.when}, ${run.machine.cpus} CPUs (load average ${run.machine.loadAverage.join(' ')} at the start), ` +
      `Node ${run.machine.node}; ${run.accounts} accounts, warm-up ${run.warmupSeconds} s then an open loop at ` +
      `${run.rate} events/s for ${run.seconds} s per chain, platform first; PostgreSQL at ${run.postgres}; ` +
      `statements: ${run.statementStats}. Each stage's p50/p99 is over that stage's own figures, so the stages ` +
      `do not add up to the total.\n\n${table}\n${gc}\n${statements ? `${statements}\n` : ''}`,
  );
  return `${table}${gc ? `\n${gc}` : ''}`;
}
