import { InjectConfig } from '@app/config';
import { PeriodicTask } from '@app/background';
import { reportTaskFailure } from '@app/observability';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { TransactionsConfig } from '../config';
import { IdempotencyRepository } from './idempotency.repository';

/** Once an hour (and at start), idempotency keys past IDEMPOTENCY_KEY_RETENTION go. */
@Injectable()
export class IdempotencyKeyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(@InjectConfig() config: TransactionsConfig, keys: IdempotencyRepository) {
    this.task = new PeriodicTask(
      IdempotencyKeyPruner.name,
      3_600_000,
      () => keys.prune(config.IDEMPOTENCY_KEY_RETENTION),
      reportTaskFailure,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
