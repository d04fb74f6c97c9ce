import { InjectConfig } from '@app/config';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { TransactionsConfig } from '../config';
import { IdempotencyRepository } from './idempotency.repository';

const EVERY_MS = 3_600_000;

/** Once an hour (and at start), idempotency keys past IDEMPOTENCY_KEY_RETENTION go. */
@Injectable()
export class IdempotencyKeyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPruner.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectConfig() private readonly config: TransactionsConfig,
    private readonly keys: IdempotencyRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.timer) return; // called twice in a hybrid app: one timer is enough
    this.running = this.run();
    this.timer = setInterval(() => {
      this.running ??= this.run();
    }, EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      await this.keys.prune(this.config.IDEMPOTENCY_KEY_RETENTION);
    } catch (error) {
      this.logger.warn(`pruning idempotency keys: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }
}
