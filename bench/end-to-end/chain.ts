import type { ChildProcessHandle } from './child-processes';

/** One chain under test, started on its own database and vhost, ready for load. */
export interface RunningChain {
  name: 'platform' | 'same-work';
  /** Where POST /transactions goes, and the key it needs. */
  apiUrl: string;
  apiKey: string;
  /** The funded accounts (EUR). */
  accountIds: string[];
  /** The chain's processes by role (app or same-work role), for CPU and memory. */
  processes: ChildProcessHandle[];
  /** The chain's database, whose backends count as its PostgreSQL CPU. */
  databaseUrl: string;
  /** The platform's apps' base URLs by app name, for their /metrics; the same-work roles serve none. */
  appUrls?: Record<string, string>;
  stop(): Promise<void>;
}

export const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000);
/** Each account's opening deposit, in minor units: withdrawals of at most 50.00 rarely exhaust it. */
export const OPENING_BALANCE = 1_000_000;
export const CURRENCY = 'EUR';
