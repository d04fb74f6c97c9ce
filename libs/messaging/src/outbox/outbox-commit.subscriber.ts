import type { EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { OutboxRelay } from './outbox.relay';
import { WAKE_RELAY_AFTER_COMMIT } from './outbox.writer';

/** Wakes this instance's relay right after a transaction that appended outbox events commits. */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly relay: OutboxRelay) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const wake = event.queryRunner.data[WAKE_RELAY_AFTER_COMMIT];
    delete event.queryRunner.data[WAKE_RELAY_AFTER_COMMIT];
    if (wake === true) this.relay.wake();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete event.queryRunner.data[WAKE_RELAY_AFTER_COMMIT];
  }
}
