import { Module } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotentExecution } from './idempotent-execution';

@Module({
  providers: [IdempotencyRepository, IdempotentExecution],
  exports: [IdempotentExecution],
})
export class IdempotencyModule {}
