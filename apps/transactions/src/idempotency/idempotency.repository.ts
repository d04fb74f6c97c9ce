import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { IdempotencyKey, StoredResponse } from './idempotency-key';

interface StoredRow {
  request_hash: string;
  status_code: number;
  response_body: unknown;
}

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the key for this transaction, or answers false at once if another request holds it.
   * Transaction-scoped: released by commit, rollback, or the death of the session.
   */
  async tryLock(manager: EntityManager, key: IdempotencyKey): Promise<boolean> {
    const [{ locked }] = await manager.query<{ locked: boolean }[]>(
      'SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked',
      [key.scope, key.key],
    );
    return locked;
  }

  async find(manager: EntityManager, key: IdempotencyKey): Promise<StoredResponse | undefined> {
    const [row] = await manager.query<StoredRow[]>(
      `SELECT request_hash, status_code, response_body FROM transactions.idempotency_keys WHERE scope = $1 AND key = $2`,
      [key.scope, key.key],
    );
    return row && { requestHash: row.request_hash, status: row.status_code, body: row.response_body };
  }

  async save(manager: EntityManager | undefined, key: IdempotencyKey, response: Omit<StoredResponse, 'requestHash'>) {
    await (manager ?? this.dataSource).query(
      `INSERT INTO transactions.idempotency_keys (scope, key, request_hash, status_code, response_body)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, key) DO NOTHING`,
      [key.scope, key.key, key.requestHash, response.status, JSON.stringify(response.body)],
    );
  }

  /** Forgets keys older than the retention, a chunk per statement so locks stay short. */
  async prune(retentionMs: number): Promise<number> {
    let pruned = 0;
    for (;;) {
      const [, count] = await this.dataSource.query<[unknown[], number]>(
        `DELETE FROM transactions.idempotency_keys WHERE ctid IN (
           SELECT ctid FROM transactions.idempotency_keys
           WHERE created_at < now() - make_interval(secs => $1) LIMIT 5000)`,
        [retentionMs / 1000],
      );
      pruned += count;
      if (count < 5000) return pruned;
    }
  }
}
