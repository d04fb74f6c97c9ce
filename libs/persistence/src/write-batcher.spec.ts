import { WriteBatcher } from './write-batcher';

describe('WriteBatcher', () => {
  it('writes what is submitted in the same turn as one batch, and answers each item its own result', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((item) => item * 10);
    });

    const results = await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));

    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives during a write into the next write, up to the batch limit', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const firstWriteHeld = new Promise<void>((resolve) => (release = resolve));
    const batcher = new WriteBatcher<number, void>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await firstWriteHeld;
      return items.map(() => undefined);
    }, 2);

    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((item) => batcher.submit(item));
    release();
    await Promise.all([first, ...later]);

    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('isolates a failing item: the batch is retried item by item and only that one is rejected', async () => {
    const batcher = new WriteBatcher<number, string>(async (items) => {
      if (items.includes(2)) throw new Error('item 2 is bad');
      return items.map(String);
    });

    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: '1' },
      { status: 'rejected', reason: new Error('item 2 is bad') },
      { status: 'fulfilled', value: '3' },
    ]);
  });

  it('keeps working after a failed batch', async () => {
    let fail = true;
    const batcher = new WriteBatcher<number, number>(async (items) => {
      if (fail) throw new Error('database away');
      return items;
    });

    await expect(batcher.submit(1)).rejects.toThrow('database away');
    fail = false;
    await expect(batcher.submit(2)).resolves.toBe(2);
  });
});
