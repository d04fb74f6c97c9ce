import { DeliveryLanes, LaneLimits } from './delivery-lanes';

interface Item {
  endpoint_id: string;
  id: string;
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function items(endpointId: string, count: number): Item[] {
  return Array.from({ length: count }, (_, i) => ({ endpoint_id: endpointId, id: `${endpointId}${i + 1}` }));
}

/** Lanes whose attempts run until the test settles them, counting how many run at once. */
function lanesUnderTest(limits: LaneLimits, now?: () => number) {
  const started: string[] = [];
  const pending = new Map<string, { resolve: (attempted?: boolean) => void; reject: (error: Error) => void }>();
  const runningBy = new Map<string, number>();
  const peakBy = new Map<string, number>();
  let running = 0;
  let peak = 0;
  const onLow = jest.fn();

  const lanes = new DeliveryLanes<Item>(
    limits,
    (item) =>
      new Promise<boolean | void>((resolve, reject) => {
        started.push(item.id);
        running++;
        peak = Math.max(peak, running);
        const mine = (runningBy.get(item.endpoint_id) ?? 0) + 1;
        runningBy.set(item.endpoint_id, mine);
        peakBy.set(item.endpoint_id, Math.max(peakBy.get(item.endpoint_id) ?? 0, mine));
        const done = () => {
          pending.delete(item.id);
          running--;
          runningBy.set(item.endpoint_id, (runningBy.get(item.endpoint_id) ?? 0) - 1);
        };
        pending.set(item.id, {
          resolve: (attempted?: boolean) => {
            done();
            resolve(attempted);
          },
          reject: (error) => {
            done();
            reject(error);
          },
        });
      }),
    onLow,
    now,
  );

  const settle = async (id: string, outcome: 'succeed' | 'fail' | 'skip' = 'succeed') => {
    const attempt = pending.get(id);
    if (!attempt) throw new Error(`${id} is not running`);
    if (outcome === 'succeed') attempt.resolve();
    else if (outcome === 'skip') attempt.resolve(false);
    else attempt.reject(new Error(`${id} failed`));
    await flush();
  };

  return {
    lanes,
    onLow,
    started,
    running: () => [...pending.keys()],
    peak: () => peak,
    peakOf: (endpointId: string) => peakBy.get(endpointId) ?? 0,
    settle,
  };
}

describe('DeliveryLanes', () => {
  it('runs at most perEndpoint attempts of an endpoint at once, starting the next as one settles', async () => {
    const t = lanesUnderTest({ perEndpoint: 2, global: 10, depth: 10 });
    t.lanes.add(items('a', 5));
    await flush();
    expect(t.running()).toEqual(['a1', 'a2']);

    await t.settle('a1');
    expect(t.running()).toEqual(['a2', 'a3']);

    while (t.running().length > 0) await t.settle(t.running()[0]);
    expect(t.started).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(t.peakOf('a')).toBe(2);
  });

  it('runs at most global attempts in all, and each delivery exactly once', async () => {
    const t = lanesUnderTest({ perEndpoint: 2, global: 3, depth: 10 });
    t.lanes.add([...items('a', 3), ...items('b', 3), ...items('c', 3)]);
    await flush();
    expect(t.running()).toHaveLength(3);

    while (t.running().length > 0) {
      const running = t.running();
      await t.settle(running[running.length - 1]);
      expect(t.running().length).toBeLessThanOrEqual(3);
    }
    expect(t.peak()).toBe(3);
    expect(t.peakOf('a')).toBeLessThanOrEqual(2);
    expect(t.peakOf('b')).toBeLessThanOrEqual(2);
    expect(t.peakOf('c')).toBeLessThanOrEqual(2);
    expect([...t.started].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3']);
  });

  it("keeps attempting another endpoint's deliveries while a slow endpoint's lane is full", async () => {
    const t = lanesUnderTest({ perEndpoint: 2, global: 10, depth: 4 });
    t.lanes.add(items('slow', 4));
    t.lanes.add(items('fast', 4));
    await flush();
    expect(t.lanes.stocked()).toContain('slow');
    expect(t.running()).toEqual(['slow1', 'slow2', 'fast1', 'fast2']);

    for (const id of ['fast1', 'fast2', 'fast3', 'fast4']) await t.settle(id);

    expect(t.started.filter((id) => id.startsWith('fast'))).toEqual(['fast1', 'fast2', 'fast3', 'fast4']);
    expect(t.running()).toEqual(['slow1', 'slow2']);
    expect(t.lanes.holding('slow')).toBe(4);
    expect(t.lanes.holding('fast')).toBe(0);
  });

  it('lists in stocked() the endpoints holding more than half their depth, queued or running', async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 10, depth: 4 });
    t.lanes.add([...items('a', 3), ...items('b', 2)]);
    expect(t.lanes.stocked()).toEqual(['a']);

    t.lanes.add([{ endpoint_id: 'b', id: 'b3' }]);
    expect([...t.lanes.stocked()].sort()).toEqual(['a', 'b']);

    await t.settle('a1');
    expect(t.lanes.stocked()).toEqual(['b']);

    t.lanes.drop('b');
    expect(t.lanes.stocked()).toEqual([]);
  });

  it('shrinks room() as deliveries are held and grows it back as attempts settle', async () => {
    const t = lanesUnderTest({ perEndpoint: 2, global: 4, depth: 3 });
    expect(t.lanes.room()).toBe(6);

    t.lanes.add(items('a', 3));
    expect(t.lanes.room()).toBe(3);
    t.lanes.add(items('b', 2));
    expect(t.lanes.room()).toBe(1);
    t.lanes.add(items('c', 3));
    expect(t.lanes.room()).toBe(0);

    await t.settle('a1');
    expect(t.lanes.room()).toBe(0);
    await t.settle('b1');
    expect(t.lanes.room()).toBe(0);
    await t.settle('a2');
    expect(t.lanes.room()).toBe(1);
    await t.settle('b2');
    expect(t.lanes.room()).toBe(2);
  });

  it('holds at most capacity deliveries in all when one is given, whatever perEndpoint is', () => {
    const t = lanesUnderTest({ perEndpoint: 128, global: 128, depth: 256, capacity: 2_048 });
    t.lanes.add(items('a', 256));
    expect(t.lanes.room()).toBe(1_792);
  });

  it('hands back from drop() what an endpoint has queued but not started, and never attempts it', async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 10, depth: 10 });
    t.lanes.add([...items('a', 3), ...items('b', 1)]);
    await flush();
    expect(t.lanes.room()).toBe(96);

    expect(t.lanes.drop('a').map((item) => item.id)).toEqual(['a2', 'a3']);
    expect(t.lanes.holding('a')).toBe(1);
    expect(t.lanes.room()).toBe(98);
    expect(t.lanes.drop('b')).toEqual([]);

    await t.settle('a1');
    await t.settle('b1');
    expect(t.started).toEqual(['a1', 'b1']);
    expect(t.lanes.holding('a')).toBe(0);
    expect(t.lanes.room()).toBe(100);
    expect(t.running()).toEqual([]);
  });

  it('hands back from dropAll() everything queued but not started, while running attempts go on', async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 10, depth: 10 });
    t.lanes.add([...items('a', 3), ...items('b', 2), ...items('c', 1)]);
    await flush();

    expect(t.lanes.dropAll().map((item) => item.id)).toEqual(['a2', 'a3', 'b2']);
    expect(t.lanes.dropAll()).toEqual([]);
    expect(t.running()).toEqual(['a1', 'b1', 'c1']);

    await t.settle('a1');
    await t.settle('b1');
    await t.settle('c1');
    expect(t.started).toEqual(['a1', 'b1', 'c1']);
    expect(t.lanes.room()).toBe(100);
  });

  it("calls onLow once an endpoint's holding drains to half its depth or less", async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 10, depth: 4 });
    t.lanes.add(items('a', 4));
    await flush();
    expect(t.onLow).not.toHaveBeenCalled();

    await t.settle('a1');
    expect(t.lanes.holding('a')).toBe(3);
    expect(t.onLow).not.toHaveBeenCalled();

    await t.settle('a2');
    expect(t.lanes.holding('a')).toBe(2);
    expect(t.onLow).toHaveBeenCalledTimes(1);
  });

  it('resolves idle() only after every running attempt, including those started meanwhile, has settled', async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 10, depth: 10 });
    t.lanes.add([...items('a', 2), ...items('b', 1)]);
    let idle = false;
    const idling = t.lanes.idle().then(() => {
      idle = true;
    });

    await flush();
    expect(idle).toBe(false);
    await t.settle('a1');
    expect(t.running()).toEqual(['b1', 'a2']);
    expect(idle).toBe(false);
    await t.settle('b1');
    expect(idle).toBe(false);
    await t.settle('a2');
    expect(idle).toBe(true);
    await idling;
  });

  it('resolves idle() at once when nothing is running', async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 10, depth: 10 });
    await expect(t.lanes.idle()).resolves.toBeUndefined();
  });

  it('frees the slot of a rejected attempt and starts the next', async () => {
    const t = lanesUnderTest({ perEndpoint: 1, global: 1, depth: 2 });
    t.lanes.add([...items('a', 2), ...items('b', 1)]);
    await flush();
    expect(t.running()).toEqual(['a1']);
    expect(t.lanes.room()).toBe(0);

    await t.settle('a1', 'fail');
    // Lanes take turns for the one global slot: b's delivery goes before a's second.
    expect(t.running()).toEqual(['b1']);
    expect(t.lanes.holding('a')).toBe(1);
    expect(t.lanes.room()).toBe(0);
    expect(t.onLow).toHaveBeenCalledTimes(1);

    await t.settle('b1', 'fail');
    expect(t.running()).toEqual(['a2']);
    await t.settle('a2', 'fail');
    expect(t.running()).toEqual([]);
    expect(t.lanes.room()).toBe(2);
    await expect(t.lanes.idle()).resolves.toBeUndefined();
  });

  describe('with slotHeldMs', () => {
    afterEach(() => jest.useRealTimers());

    it("frees the global slot of an attempt that waits that long, never its endpoint's", async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      const t = lanesUnderTest({ perEndpoint: 2, global: 2, depth: 10, slotHeldMs: 1_000 });
      t.lanes.add(items('hanging', 4));
      t.lanes.add(items('healthy', 2));
      await flush();
      expect(t.running()).toEqual(['hanging1', 'hanging2']);

      jest.advanceTimersByTime(999);
      await flush();
      expect(t.running()).toEqual(['hanging1', 'hanging2']);

      // Both hanging attempts have waited a second: the healthy endpoint gets the global slots.
      jest.advanceTimersByTime(1);
      await flush();
      expect(t.running()).toEqual(['hanging1', 'hanging2', 'healthy1', 'healthy2']);
      await t.settle('healthy1');
      await t.settle('healthy2');
      // The hanging endpoint still runs no more than its perEndpoint...
      expect(t.running()).toEqual(['hanging1', 'hanging2']);
      expect(t.peakOf('hanging')).toBe(2);

      // ...and a settled attempt that had given up its slot frees no second one.
      await t.settle('hanging1');
      expect(t.running()).toEqual(['hanging2', 'hanging3']);
      t.lanes.add(items('other', 2));
      await flush();
      expect(t.running()).toEqual(['hanging2', 'hanging3', 'other1']);
    });
  });

  describe('with a work budget (bufferMs)', () => {
    const limits = { perEndpoint: 2, global: 10, depth: 40, bufferMs: 1_000 };

    it('starts a new endpoint at perEndpoint, as the claims of unknown endpoints are', () => {
      const t = lanesUnderTest(limits, () => 0);
      expect(t.lanes.depthOf('a')).toBe(2);
      expect(t.lanes.roomByEndpoint()).toEqual(new Map());
    });

    it('grows the lane of a fast endpoint up to depth and keeps a slow one at perEndpoint', async () => {
      let clock = 0;
      const t = lanesUnderTest(limits, () => clock);
      t.lanes.add([...items('fast', 1), ...items('slow', 1)]);
      clock += 10;
      await t.settle('fast1');
      clock += 4_990;
      await t.settle('slow1');

      expect(t.lanes.depthOf('fast')).toBe(40);
      expect(t.lanes.depthOf('slow')).toBe(2);
      expect(t.lanes.roomByEndpoint()).toEqual(new Map([['fast', 40]]));
    });

    it("sizes a lane to about bufferMs of the endpoint's work, and lists its room for claims", async () => {
      let clock = 0;
      const t = lanesUnderTest(limits, () => clock);
      t.lanes.add(items('a', 1));
      clock += 200;
      await t.settle('a1');
      expect(t.lanes.depthOf('a')).toBe(10); // 2 at a time, 200 ms each: 10 fill 1 s

      t.lanes.add(items('a', 4).map((item) => ({ ...item, id: `${item.id}b` })));
      expect(t.lanes.roomByEndpoint()).toEqual(new Map([['a', 6]]));
      expect(t.lanes.stocked()).toEqual([]);
    });

    it('learns nothing of the endpoint from an item given up unattempted', async () => {
      let clock = 0;
      const t = lanesUnderTest(limits, () => clock);
      t.lanes.add(items('slow', 1));
      clock += 5_000;
      await t.settle('slow1');
      expect(t.lanes.depthOf('slow')).toBe(2);

      // Ten given up at once: counted as attempts of 0 ms, they would make it look fast.
      for (let i = 1; i <= 10; i++) {
        t.lanes.add([{ endpoint_id: 'slow', id: `skipped${i}` }]);
        await t.settle(`skipped${i}`, 'skip');
      }
      expect(t.lanes.depthOf('slow')).toBe(2);
    });
  });
});
