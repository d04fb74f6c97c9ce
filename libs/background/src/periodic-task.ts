import { Logger } from '@nestjs/common';

/** Told of every failed run; apps pass libs/observability's `reportTaskFailure` (this lib depends on none). */
export type TaskFailureReporter = (task: string, error: unknown) => void;

/**
 * Housekeeping that runs at start and then every `everyMs`, never two runs at once. `start` is
 * idempotent: Nest calls bootstrap hooks twice in a hybrid app, and a second timer would be a
 * second housekeeper. A failed run is logged, reported, and tried again at the next tick.
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly reportFailure: TaskFailureReporter,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs).unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    this.running ??= this.work()
      .then(() => undefined)
      .catch((error: Error) => {
        this.logger.warn(error.message);
        this.reportFailure(this.name, error);
      })
      .finally(() => (this.running = undefined));
  }
}
