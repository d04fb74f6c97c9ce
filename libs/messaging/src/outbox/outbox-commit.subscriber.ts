import type { EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { OutboxRelay } from './outbox.relay';
import { WAKE_RELAY_AFTER_COMMIT } from './outbox.writer';

/**
 * Wakes this instance's relay right after a transaction that appended outbox events commits.
 * TypeORM also announces a savepoint's release as a commit, and a rollback to one as a rollback,
 * while the transaction goes on: those are ignored (the events are not visible to the relay yet,
 * and a wake used up there would leave the real commit to wait for the next poll).
 */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly relay: OutboxRelay) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    const wake = event.queryRunner.data[WAKE_RELAY_AFTER_COMMIT];
    delete event.queryRunner.data[WAKE_RELAY_AFTER_COMMIT];
    if (wake === true) this.relay.wake();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    delete event.queryRunner.data[WAKE_RELAY_AFTER_COMMIT];
  }
}
