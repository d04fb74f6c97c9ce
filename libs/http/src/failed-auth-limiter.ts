import { Injectable } from '@nestjs/common';

/** CONTRACT.md section 9: more than 20 failures in a minute get 429, whatever RATE_LIMIT_PER_MINUTE says. */
export const FAILED_AUTH_LIMIT = 20;
export const FAILED_AUTH_WINDOW_MS = 60_000;

interface Window {
  failures: number;
  endsAt: number;
}

/**
 * Counts failed authentications per client address in fixed one-minute windows, in this
 * process's memory (like the per-key rate limit): with N instances behind a balancer an address
 * gets at most N times the limit, which still turns a key search into a crawl. Windows that have
 * ended are swept once a window, so a flood of addresses cannot grow the map without bound.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  /** Seconds until `client` may try again, or undefined while it is under the limit. */
  retryAfterSeconds(client: string, now = Date.now()): number | undefined {
    const window = this.windows.get(client);
    if (!window || window.endsAt <= now || window.failures < FAILED_AUTH_LIMIT) return undefined;
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  }

  recordFailure(client: string, now = Date.now()): void {
    this.sweep(now);
    const window = this.windows.get(client);
    if (window && window.endsAt > now) window.failures += 1;
    else this.windows.set(client, { failures: 1, endsAt: now + FAILED_AUTH_WINDOW_MS });
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + FAILED_AUTH_WINDOW_MS;
    for (const [client, window] of this.windows) if (window.endsAt <= now) this.windows.delete(client);
  }
}
