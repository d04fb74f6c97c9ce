import { childOf, currentTrace, currentTraceId, currentTraceparent, runInTrace, traceparentOf } from './trace-context';
import { useTraceContext } from './tracing-setup';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  beforeAll(() => useTraceContext());

  it('continues a valid traceparent: its trace, its span as the parent of ours', () => {
    const child = childOf(PARENT) as NonNullable<ReturnType<typeof childOf>>;
    expect(traceparentOf(child)).toBe(PARENT);
    expect(childOf(` ${PARENT.toUpperCase()} `)).toBeDefined();
  });

  it.each([
    undefined,
    42,
    '',
    'garbage',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
  ])('ignores %j', (value) => expect(childOf(value)).toBeUndefined());

  it('is visible inside runInTrace only, across awaits', async () => {
    const context = childOf(PARENT);
    await runInTrace(context, async () => {
      await Promise.resolve();
      expect(currentTrace()).toBe(context);
      expect(currentTraceId()).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(currentTraceparent()).toBe(PARENT);
    });
    expect(currentTrace()).toBeUndefined();
    expect(currentTraceId()).toBeUndefined();
  });

  it('runs work without a trace outside the active one (batched work must not borrow it)', () => {
    runInTrace(childOf(PARENT), () => {
      runInTrace(undefined, () => expect(currentTraceparent()).toBeUndefined());
    });
  });
});
