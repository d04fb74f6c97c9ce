import { childOf, currentTrace, runInTrace } from './trace-context';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('continues a valid traceparent as a child span of the same trace', () => {
    const child = childOf(PARENT);
    expect(child?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child?.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child?.traceparent).not.toBe(PARENT);
  });

  it.each([
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
  ])('ignores %j', (value) => expect(childOf(value)).toBeUndefined());

  it('is visible inside runInTrace only', async () => {
    const context = childOf(PARENT);
    await runInTrace(context, async () => {
      await Promise.resolve();
      expect(currentTrace()).toBe(context);
    });
    expect(currentTrace()).toBeUndefined();
  });
});
