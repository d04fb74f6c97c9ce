import { Wakeup } from './wakeup';

describe('Wakeup', () => {
  it('ends a sleep early when woken', async () => {
    const wakeup = new Wakeup();
    const started = Date.now();
    const sleeping = wakeup.sleep(10_000);
    wakeup.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a wake that came while awake, so the next sleep returns at once, and only that one', async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    await wakeup.sleep(10_000);
    let slept = false;
    const sleeping = wakeup.sleep(50).then(() => (slept = true));
    await Promise.resolve();
    expect(slept).toBe(false);
    await sleeping;
  });
});
