import { nextAttempt, retryAfterMs } from './retry-schedule';

const schedule = [5_000, 300_000, 1_800_000];
const now = Date.parse('2026-01-01T00:00:00Z');

describe('nextAttempt', () => {
  it('follows the schedule with about 20% jitter', () => {
    expect(nextAttempt(schedule, 1, { status: 500 }, now, () => 0.5)).toEqual({ dead: false, delayMs: 5_000 });
    expect(nextAttempt(schedule, 2, { status: 500 }, now, () => 0)).toEqual({ dead: false, delayMs: 240_000 });
    expect(nextAttempt(schedule, 3, {}, now, () => 1)).toEqual({ dead: false, delayMs: 2_160_000 });
  });

  it('declares the delivery dead after N delays (N+1 attempts)', () => {
    expect(nextAttempt(schedule, 4, { status: 500 }, now)).toEqual({ dead: true, delayMs: 0 });
  });

  it('honours Retry-After on 429 and 503, never sooner than the schedule, at most 2 hours later', () => {
    expect(nextAttempt(schedule, 1, { status: 429, retryAfter: '60' }, now, () => 0.5).delayMs).toBe(60_000);
    expect(nextAttempt(schedule, 1, { status: 503, retryAfter: '1' }, now, () => 0.5).delayMs).toBe(5_000);
    expect(nextAttempt(schedule, 1, { status: 429, retryAfter: '999999' }, now, () => 0.5).delayMs).toBe(
      5_000 + 7_200_000,
    );
    expect(nextAttempt(schedule, 1, { status: 500, retryAfter: '60' }, now, () => 0.5).delayMs).toBe(5_000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
