import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  afterEach(() => jest.useRealTimers());

  it('runs at start and then every interval, however often it is started', async () => {
    jest.useFakeTimers();
    const work = jest.fn(async () => undefined);
    const task = new PeriodicTask('test', 1_000, work, () => undefined);
    task.start();
    task.start();
    expect(work).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(work).toHaveBeenCalledTimes(4);
    await task.stop();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(work).toHaveBeenCalledTimes(4);
  });

  it('never starts a run while the last one is still going, and stop waits for it', async () => {
    jest.useFakeTimers();
    let finish!: () => void;
    const work = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const task = new PeriodicTask('test', 1_000, work, () => undefined);
    task.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(work).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('reports a failed run with its name, and keeps going', async () => {
    jest.useFakeTimers();
    const failure = new Error('database away');
    const work = jest.fn().mockRejectedValueOnce(failure).mockResolvedValue(undefined);
    const reportFailure = jest.fn();
    const task = new PeriodicTask('pruner', 1_000, work, reportFailure);
    task.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(2);
    expect(reportFailure).toHaveBeenCalledTimes(1);
    expect(reportFailure).toHaveBeenCalledWith('pruner', failure);
    await task.stop();
  });
});
