import { decideAfterFailure, isTransientFailure, retryQueueName } from './retry-policy';

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

describe('decideAfterFailure for a transient failure', () => {
  const schedule = [1_000, 10_000, 60_000];

  it('follows the schedule, then keeps retrying at its last delay instead of dead-lettering', () => {
    expect(decideAfterFailure(0, schedule, true)).toEqual({ action: 'retry', delayMs: 1_000, attempt: 1 });
    expect(decideAfterFailure(3, schedule, true)).toEqual({ action: 'retry', delayMs: 60_000, attempt: 4 });
    expect(decideAfterFailure(250, schedule, true)).toEqual({ action: 'retry', delayMs: 60_000, attempt: 251 });
  });

  it('dead-letters at once when there is no retry schedule at all', () => {
    expect(decideAfterFailure(0, [], true)).toEqual({ action: 'dead-letter' });
  });
});

describe('isTransientFailure', () => {
  const withCode = (code: string) => Object.assign(new Error('failed'), { code });

  it('recognises a database or network that is away', () => {
    expect(isTransientFailure(withCode('ECONNREFUSED'))).toBe(true);
    expect(isTransientFailure(withCode('57P01'))).toBe(true); // admin shutdown
    expect(isTransientFailure(withCode('08006'))).toBe(true); // connection failure
    expect(isTransientFailure(withCode('40P01'))).toBe(true); // deadlock
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('looks into what TypeORM and fetch wrap', () => {
    expect(isTransientFailure(Object.assign(new Error('query failed'), { driverError: { code: '57P03' } }))).toBe(true);
    expect(isTransientFailure(new Error('fetch failed', { cause: withCode('ECONNRESET') }))).toBe(true);
  });

  it('leaves failures that are about the message alone', () => {
    expect(isTransientFailure(withCode('23505'))).toBe(false); // unique violation
    expect(isTransientFailure(withCode('22P02'))).toBe(false); // invalid input
    expect(isTransientFailure(new Error('probe handler refused the event'))).toBe(false);
    // A code decides: the text of a bad value that happens to read like an outage changes nothing.
    expect(
      isTransientFailure(Object.assign(new Error('invalid input syntax: "connection error"'), { code: '22P02' })),
    ).toBe(false);
    expect(isTransientFailure(withCode('57P02'))).toBe(false); // a crash: the message may be the cause
    expect(isTransientFailure(undefined)).toBe(false);
    expect(isTransientFailure('text')).toBe(false);
  });
});

describe('retryQueueName', () => {
  it('names the queue by its delay', () => {
    expect(retryQueueName('ad-engine.transactions', 5_000)).toBe('ad-engine.transactions.retry.5000ms');
  });
});
