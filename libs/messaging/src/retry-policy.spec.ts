import { decideAfterFailure, retryQueueName } from './retry-policy';

describe('decideAfterFailure', () => {
  const schedule = [1_000, 10_000, 60_000];

  it('retries after each delay of the schedule in turn', () => {
    expect(decideAfterFailure(undefined, schedule)).toEqual({ action: 'retry', delayMs: 1_000, attempt: 1 });
    expect(decideAfterFailure(1, schedule)).toEqual({ action: 'retry', delayMs: 10_000, attempt: 2 });
    expect(decideAfterFailure(2, schedule)).toEqual({ action: 'retry', delayMs: 60_000, attempt: 3 });
  });

  it('dead-letters once the schedule is used up', () => {
    expect(decideAfterFailure(3, schedule)).toEqual({ action: 'dead-letter' });
    expect(decideAfterFailure(0, [])).toEqual({ action: 'dead-letter' });
  });

  it('treats a missing or forged header as no previous retries', () => {
    expect(decideAfterFailure('7', schedule)).toMatchObject({ attempt: 1 });
    expect(decideAfterFailure(-2, schedule)).toMatchObject({ attempt: 1 });
    expect(decideAfterFailure(1.5, schedule)).toMatchObject({ attempt: 1 });
  });
});

describe('retryQueueName', () => {
  it('names the queue by its delay', () => {
    expect(retryQueueName('ad-engine.transactions', 5_000)).toBe('ad-engine.transactions.retry.5000ms');
  });
});
