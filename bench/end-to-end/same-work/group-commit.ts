/**
 * Writes whatever arrived while the previous batch was being written as the next batch: under
 * load one transaction carries many items, at low rates an item waits for nobody. Batches are
 * written one after another, in arrival order, so a consumer may ack a batch's last message with
 * `allUpTo` once the batch has committed.
 */
export class GroupCommit<T> {
  private pending: T[] = [];
  private writing = false;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly maxBatch: number,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.writing) return;
    this.writing = true;
    // After the current burst of socket reads, so that messages that came together go together.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        await this.write(batch);
      } catch (error) {
        // Nothing is acked or recorded for an uncommitted batch: exiting hands every message back
        // to the broker (and every claim back to its expiry), which is the whole recovery story.
        process.stderr.write(`${process.argv[1]}: batch failed: ${(error as Error).stack}\n`);
        process.exit(1);
      }
    }
    this.writing = false;
  }
}
