interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Items submitted while a write is under way are written together by the next one,
 * so under load one round trip (and one WAL flush) serves many items, while a lone item waits for
 * no timer: only for the handlers already running in this turn of the event loop to submit theirs.
 * If a batch fails, its items are written again one by one, so a bad item fails alone and its
 * neighbours are not held hostage by it.
 */
export class WriteBatcher<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private writing = false;

  /** `write` gets the items in submission order and answers one result per item, in the same order. */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      await this.writeBatch(this.waiting.splice(0, this.maxBatch));
    }
    this.writing = false;
  }

  private async writeBatch(batch: Waiting<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.write(batch.map(({ item }) => item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const entry of batch) await this.writeBatch([entry]);
      return;
    }
    batch.forEach(({ resolve }, index) => resolve(results[index]));
  }
}
