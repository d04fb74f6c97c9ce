import { FAILED_AUTH_LIMIT, FAILED_AUTH_WINDOW_MS, FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  it('holds an address back after the limit until its window ends, and no one else', () => {
    const limiter = new FailedAuthLimiter();
    const start = 1_000_000;
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      expect(limiter.retryAfterSeconds('192.0.2.1', start + i)).toBeUndefined();
      limiter.recordFailure('192.0.2.1', start + i);
    }
    expect(limiter.retryAfterSeconds('192.0.2.1', start + 1_000)).toBe(59);
    expect(limiter.retryAfterSeconds('192.0.2.2', start + 1_000)).toBeUndefined();
    expect(limiter.retryAfterSeconds('192.0.2.1', start + FAILED_AUTH_WINDOW_MS - 1)).toBe(1);
    expect(limiter.retryAfterSeconds('192.0.2.1', start + FAILED_AUTH_WINDOW_MS)).toBeUndefined();
    limiter.recordFailure('192.0.2.1', start + FAILED_AUTH_WINDOW_MS);
    expect(limiter.retryAfterSeconds('192.0.2.1', start + FAILED_AUTH_WINDOW_MS)).toBeUndefined();
  });
});
