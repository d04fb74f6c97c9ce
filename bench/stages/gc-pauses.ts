/** GC pauses of one app by kind (minor, major, incremental, weakcb): how many, and their total. */
export type GcPauses = Record<string, { count: number; totalMs: number }>;

const SERIES = /^nodejs_gc_duration_seconds_(sum|count)\{([^}]*)\} (\S+)$/;

/** prom-client's default `nodejs_gc_duration_seconds` histogram, its sum and count by kind. */
function parse(metrics: string): GcPauses {
  const pauses: GcPauses = {};
  for (const line of metrics.split('\n')) {
    const match = SERIES.exec(line);
    if (!match) continue;
    const kind = /kind="([^"]*)"/.exec(match[2])?.[1] ?? 'unknown';
    pauses[kind] ??= { count: 0, totalMs: 0 };
    if (match[1] === 'count') pauses[kind].count += Number(match[3]);
    else pauses[kind].totalMs += Number(match[3]) * 1000;
  }
  return pauses;
}

/** Every app's GC pauses so far, from its /metrics (the platform's apps serve it without a key). */
export async function scrapeGcPauses(appUrls: Record<string, string>): Promise<Record<string, GcPauses>> {
  return Object.fromEntries(
    await Promise.all(
      Object.entries(appUrls).map(async ([app, url]) => {
        const response = await fetch(`${url}/metrics`);
        if (!response.ok) throw new Error(`${app} GET /metrics: ${response.status}`);
        return [app, parse(await response.text())] as const;
      }),
    ),
  );
}

/** The pauses between two scrapes, per app and kind (totals rounded to 0.1 ms). */
export function gcPausesBetween(
  before: Record<string, GcPauses>,
  after: Record<string, GcPauses>,
): Record<string, GcPauses> {
  return Object.fromEntries(
    Object.entries(after).map(([app, kinds]) => [
      app,
      Object.fromEntries(
        Object.entries(kinds).map(([kind, figures]) => {
          const earlier = before[app]?.[kind] ?? { count: 0, totalMs: 0 };
          return [
            kind,
            {
              count: figures.count - earlier.count,
              totalMs: Number((figures.totalMs - earlier.totalMs).toFixed(1)),
            },
          ];
        }),
      ),
    ]),
  );
}
