import { DomainError } from '@app/errors';
import { toProblem } from '@app/http';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { IdempotencyKey } from './idempotency-key';
import { IdempotencyRepository } from './idempotency.repository';
import { IDEMPOTENCY_ERRORS } from './idempotency.errors';
import { ReplayedResponse } from './replayed-response';

/** Answers about the key itself, not about the request: never stored as its answer. */
const KEY_ANSWERS = new Set(['validation-failed', 'idempotency-key-in-use', 'idempotency-key-reused']);

/**
 * Runs a write at most once per Idempotency-Key (Stripe's semantics, CONTRACT.md section 4):
 * the same key and body get the first answer again; another body gets 422; a key whose request is
 * still executing gets 409. The key is held by a transaction-scoped advisory lock and the answer
 * is stored in the same transaction as the write, so a crash leaves neither a half-done write
 * nor a key stuck as "executing". A write that fails (404, 422, 500) is rolled back to a
 * savepoint and its answer stored while the key is still held: stored after the lock was let go,
 * another request with the key could run the write in between. Validation failures (400) are
 * not stored. Without a key there is nothing to hold or store: the write is given the data source,
 * to run as a statement on its own (or open a transaction of its own if it needs more than one).
 */
@Injectable()
export class IdempotentExecution {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
  ) {}

  async run<T>(
    key: IdempotencyKey | undefined,
    status: number,
    write: (on: EntityManager | DataSource) => Promise<T>,
  ): Promise<T> {
    if (!key) return write(this.dataSource);
    let failure: { error: unknown } | undefined;
    const result = await this.dataSource
      .transaction(async (manager) => {
        if (!(await this.keys.tryLock(manager, key))) {
          throw new DomainError(
            IDEMPOTENCY_ERRORS['idempotency-key-in-use'],
            'A request with this Idempotency-Key is still executing; retry later',
          );
        }
        const stored = await this.keys.find(manager, key);
        if (stored && stored.requestHash !== key.requestHash) {
          throw new DomainError(
            IDEMPOTENCY_ERRORS['idempotency-key-reused'],
            'This Idempotency-Key was already used with a different body',
          );
        }
        if (stored) throw new ReplayedResponse(stored.status, stored.body);
        let written: T;
        try {
          written = await manager.transaction((savepoint) => write(savepoint));
        } catch (error) {
          failure = { error };
          if (isStoredAnswer(error)) {
            const problem = toProblem(error);
            await this.keys.save(manager, key, { status: problem.status, body: { ...problem, instance: key.path } });
          }
          return undefined;
        }
        await this.keys.save(manager, key, { status, body: written });
        return written;
      })
      .catch((error: unknown) => {
        // Storing the failed answer failed (the database is what failed): the key stays free for
        // a retry, and the caller gets the write's own error.
        if (!failure) throw error;
      });
    if (failure) throw failure.error;
    return result as T;
  }
}

/** Whether an error is the request's answer, to replay for its key (not an answer about the key). */
function isStoredAnswer(error: unknown): boolean {
  return !(error instanceof DomainError && KEY_ANSWERS.has(error.code));
}
