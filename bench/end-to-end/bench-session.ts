import { createTestEnvironment, TestEnvironment } from '@app/testing';
import type { RunningChain } from './chain';
import { ChildProcesses } from './child-processes';
import { fundAccounts } from './fund-accounts';
import { LoadDriver } from './load-driver';
import type { startPlatform } from './platform-chain';
import { StatementFigures, statementStatsAvailability } from './statement-stats';
import { WebhookArrivals } from './webhook-arrivals';

export type ChainStarter = typeof startPlatform;

/** A started, funded chain, its load driver and the webhook receiver it delivers to. */
export interface FundedChain {
  chain: RunningChain;
  driver: LoadDriver;
  arrivals: WebhookArrivals;
  environment: TestEnvironment;
}

const DRAIN_TIMEOUT_MS = 120_000;
/** A measured phase shorter than this makes a smoke run: its report says so in its title. */
const SMOKE_BELOW_SECONDS = 15;

/**
 * What an end-to-end bench owns (child processes, test databases and vhosts), given back however
 * the run ends: done, failed, interrupted or over its time limit.
 */
export class BenchSession {
  readonly processes = new ChildProcesses();
  readonly drainTimeoutMs = DRAIN_TIMEOUT_MS;
  private readonly environments = new Set<TestEnvironment>();

  constructor(
    private readonly root: string,
    private readonly name: string,
    /** The bench's own bound, unless BENCH_TIME_LIMIT_MINUTES sets another. */
    private readonly defaultTimeLimitMinutes: number,
  ) {}

  /** Whether phases this long (seconds) make a smoke run, one that proves the harness and measures nothing. */
  static isSmoke(...phaseSeconds: number[]): boolean {
    return phaseSeconds.some((seconds) => seconds < SMOKE_BELOW_SECONDS);
  }

  /** The PostgreSQL host and whether pg_stat_statements can be read, from a throwaway database. */
  async probe(): Promise<{ postgres: string; statements: StatementFigures }> {
    const probe = await this.environment();
    try {
      return {
        postgres: new URL(probe.databaseUrl).host,
        statements: await statementStatsAvailability(probe.databaseUrl),
      };
    } finally {
      await this.release(probe);
    }
  }

  /**
   * One chain on a fresh database and vhost, its accounts funded through its own API (every
   * deposit's webhook waited for), handed to `work`, then stopped and dropped.
   */
  async withFundedChain<T>(start: ChainStarter, work: (funded: FundedChain) => Promise<T>): Promise<T> {
    const environment = await this.environment();
    const arrivals = await WebhookArrivals.start();
    let chain: RunningChain | undefined;
    let driver: LoadDriver | undefined;
    try {
      chain = await start(this.root, environment, this.processes, arrivals.url);
      driver = new LoadDriver(chain);
      await fundAccounts(chain, driver, arrivals, DRAIN_TIMEOUT_MS);
      const result = await work({ chain, driver, arrivals, environment });
      if (arrivals.unsigned > 0) throw new Error(`${chain.name}: ${arrivals.unsigned} webhooks arrived unsigned`);
      return result;
    } finally {
      await driver?.close();
      await chain?.stop();
      await arrivals.close();
      await this.release(environment);
    }
  }

  /**
   * Runs `main` bounded in time (BENCH_TIME_LIMIT_MINUTES), and exits: 0 when it succeeds, 1 when it fails, 2 past the time
   * limit (a stuck phase), 130 on Ctrl-C; always after stopping the children and dropping the
   * databases and vhosts.
   */
  run(main: () => Promise<void>): void {
    const timeLimitMinutes = Number(process.env.BENCH_TIME_LIMIT_MINUTES ?? this.defaultTimeLimitMinutes);
    const limit = setTimeout(() => {
      process.stderr.write(`${this.name}: over ${timeLimitMinutes} minutes, stopping\n`);
      void this.cleanUp().finally(() => process.exit(2));
    }, timeLimitMinutes * 60_000);
    limit.unref();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void this.cleanUp().finally(() => process.exit(130)));
    }
    main().then(
      () => this.cleanUp().then(() => process.exit(0)),
      (error: Error) => {
        process.stderr.write(`${this.name} failed: ${error.stack ?? error.message}\n`);
        void this.cleanUp().finally(() => process.exit(1));
      },
    );
  }

  private async environment(): Promise<TestEnvironment> {
    const environment = await createTestEnvironment();
    this.environments.add(environment);
    return environment;
  }

  private async release(environment: TestEnvironment): Promise<void> {
    await environment.teardown();
    this.environments.delete(environment);
  }

  private async cleanUp(): Promise<void> {
    await this.processes.stopAll();
    await Promise.all([...this.environments].map((environment) => environment.teardown().catch(() => undefined)));
  }
}
