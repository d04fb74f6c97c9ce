import { Module } from '@nestjs/common';
import { IdempotencyKeyPruner } from './idempotency-key-pruner';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotentExecution } from './idempotent-execution';

@Module({
  providers: [IdempotencyRepository, IdempotentExecution, IdempotencyKeyPruner],
  exports: [IdempotentExecution],
})
export class IdempotencyModule {}
