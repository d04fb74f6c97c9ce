export interface NextAttempt {
  dead: boolean;
  delayMs: number;
}

const TWO_HOURS = 2 * 3_600_000;

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from `now`. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * After failed attempt number `attempts` (1-based): the next delay of the schedule with about 20%
 * jitter, so that retries of many deliveries do not arrive together. A Retry-After sent with a 429
 * or 503 is honoured: never sooner than the schedule, never more than 2 hours later. Once the
 * schedule is used up (N delays: N+1 attempts) the delivery is dead.
 */
export function nextAttempt(
  schedule: readonly number[],
  attempts: number,
  response: { status?: number; retryAfter?: string },
  now: number,
  random: () => number = Math.random,
): NextAttempt {
  if (attempts > schedule.length) return { dead: true, delayMs: 0 };
  const base = schedule[attempts - 1];
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  const honoursRetryAfter = response.status === 429 || response.status === 503;
  const asked = honoursRetryAfter ? retryAfterMs(response.retryAfter, now) : undefined;
  if (asked === undefined) return { dead: false, delayMs: jittered };
  return { dead: false, delayMs: Math.min(Math.max(jittered, asked), base + TWO_HOURS) };
}
