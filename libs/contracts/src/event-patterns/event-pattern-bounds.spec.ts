import { compileEventPattern } from './compile-event-pattern';
import { EVENT_PATTERN_LIMITS } from './event-pattern';
import { eventPatternProblems } from './event-pattern-problems';

/** MAX_EVENT_BYTES (CONTRACT.md section 2): no larger event reaches a matcher. */
const MAX_EVENT_BYTES = 256 * 1024;

/**
 * The event behind a proxy that counts every step the matcher takes on it, at any depth: each
 * property read (array items and lengths included) and each key listing or own-key check.
 */
function counted<T>(value: T, counter: { steps: number }): T {
  if (typeof value !== 'object' || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      counter.steps++;
      return counted(Reflect.get(target, key, receiver), counter);
    },
    ownKeys(target) {
      counter.steps++;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      counter.steps++;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/** Values, arrays, objects and keys: the size of an event in nodes. */
function nodesOf(value: unknown): number {
  let nodes = 0;
  const pending = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    nodes++;
    if (Array.isArray(next)) pending.push(...(next as unknown[]));
    else if (typeof next === 'object' && next !== null) {
      for (const [, child] of Object.entries(next)) {
        nodes++;
        pending.push(child);
      }
    }
  }
  return nodes;
}

function stepsToMatch(pattern: Record<string, unknown>, event: unknown): { steps: number; matched: boolean } {
  const counter = { steps: 0 };
  const matched = compileEventPattern(pattern)(counted(event, counter));
  return { steps: counter.steps, matched };
}

/**
 * As many fields as fit in 4 KiB, all satisfied by their absence but one that never matches: an
 * element has to be checked for every one of them before it fails.
 */
function widePattern(): Record<string, unknown> {
  const items: Record<string, unknown> = {};
  for (let field = 0; ; field++) {
    const candidate = { ...items, [`f${field}`]: [{ exists: false }], z: ['never'] };
    if (eventPatternProblems({ data: { items: candidate } }).length > 0) break;
    items[`f${field}`] = [{ exists: false }];
  }
  // Last, so that a matcher probing the fields in order meets it after all the others.
  items.z = ['never'];
  return { data: { items } };
}

const envelopeWith = (data: unknown) => ({ specversion: '1.0', id: 'e', type: 'transaction.created', data });

/** The slowest: `elapsed` of a generous bound. Timing only guards against a blow-up, never a slowdown. */
function elapsedMs(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

describe('matching time is linear in the event, whatever the pattern', () => {
  it('a 4 KiB pattern of fields against an array of small objects costs a few steps per event node', () => {
    const pattern = widePattern();
    const fields = Object.keys((pattern.data as { items: object }).items).length;
    expect(fields).toBeGreaterThan(150);
    const event = (count: number) =>
      envelopeWith({ items: Array.from({ length: count }, (_, index) => ({ id: index, z: 'no' })) });
    const small = stepsToMatch(pattern, event(5_000));
    const large = stepsToMatch(pattern, event(10_000));
    expect([small.matched, large.matched]).toEqual([false, false]);
    // Probing each of the pattern's fields in each object would cost over 150 steps an object.
    expect(large.steps / nodesOf(event(10_000))).toBeLessThan(4);
    expect(large.steps / small.steps).toBeLessThan(2.05);
  });

  it('a pattern nested 16 deep against arrays at every level looks at each event node a bounded number of times', () => {
    const depth = EVENT_PATTERN_LIMITS.maxDepth;
    let pattern: Record<string, unknown> = { leaf: ['never'] };
    for (let level = 1; level < depth; level++) pattern = { n: pattern };
    // Two objects at each level: 2^15 leaves, none matching, so every path is walked.
    let event: unknown = { leaf: 'no' };
    for (let level = 1; level < depth; level++) event = { n: [event, event] };
    const { steps, matched } = stepsToMatch(pattern, event);
    expect(matched).toBe(false);
    expect(steps / nodesOf(event)).toBeLessThan(4);
  });

  it('arrays nested 100,000 deep in the event, where the pattern has a leaf or an object, cost no stack', () => {
    let nested: unknown = ['x'];
    for (let level = 0; level < 100_000; level++) nested = [nested];
    expect(compileEventPattern({ data: { tags: ['x'] } })(envelopeWith({ tags: nested }))).toBe(true);
    expect(compileEventPattern({ data: { tags: { id: ['x'] } } })(envelopeWith({ tags: nested }))).toBe(false);
    expect(compileEventPattern({ data: { tags: [{ exists: false }] } })(envelopeWith({ tags: nested }))).toBe(false);
  });

  it('objects nested 100,000 deep in the event cost only the depth of the pattern', () => {
    let nested: Record<string, unknown> = { leaf: 'x' };
    for (let level = 0; level < 100_000; level++) nested = { n: nested };
    const { steps, matched } = stepsToMatch({ data: { n: { n: { n: [{ exists: true }] } } } }, envelopeWith(nested));
    expect(matched).toBe(false);
    expect(steps).toBeLessThan(20);
  });

  it('4 KiB of long prefixes, suffixes, numeric ranges and anything-buts against a 256 KiB event returns promptly', () => {
    const stem = 'transaction.'.repeat(20);
    const alternatives: unknown[] = [];
    for (let index = 0; ; index++) {
      const next = [
        { prefix: `${stem}${index}` },
        { suffix: `${index}${stem}` },
        { numeric: ['>', index * 10, '<', index * 10 + 5] },
        { 'anything-but': { prefix: `${stem}${index}` } },
        { 'equals-ignore-case': `${stem}${index}` },
      ][index % 5];
      if (eventPatternProblems({ data: { values: [...alternatives, next] } }).length > 0) break;
      alternatives.push(next);
    }
    const pattern = { data: { values: alternatives } };
    expect(JSON.stringify(pattern).length).toBeGreaterThan(EVENT_PATTERN_LIMITS.maxBytes - 300);
    // Strings that share the prefixes' stem and match none of them; numbers between the ranges.
    const values: unknown[] = [];
    while (JSON.stringify(values).length < MAX_EVENT_BYTES - 1024) {
      values.push(`${stem}x${values.length}`, `${values.length}7.5`, 7);
    }
    const event = envelopeWith({ values });
    const excludingEverything = {
      data: { values: alternatives.filter((alternative) => !('anything-but' in (alternative as object))) },
    };
    let matched: boolean[] = [];
    const elapsed = elapsedMs(() => {
      matched = [compileEventPattern(excludingEverything)(event), compileEventPattern(pattern)(event)];
    });
    expect(matched).toEqual([false, true]);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('as many prefixes as fit in 4 KiB, sharing a long stem, against a 256 KiB event return promptly', () => {
    const stem = 'account.balance_updated.'.repeat(4);
    const prefixes: { prefix: string }[] = [];
    while (eventPatternProblems({ subject: [...prefixes, { prefix: `${stem}${prefixes.length}` }] }).length === 0) {
      prefixes.push({ prefix: `${stem}${prefixes.length}` });
    }
    expect(prefixes.length).toBeGreaterThan(20);
    const subjects: string[] = [];
    while (JSON.stringify(subjects).length < MAX_EVENT_BYTES - 1024) subjects.push(`${stem}x${subjects.length}`);
    let matched = [true, false];
    const elapsed = elapsedMs(() => {
      matched = [
        compileEventPattern({ subject: prefixes })({ subject: subjects }),
        compileEventPattern({ subject: prefixes })({ subject: [...subjects, `${stem}7 and more`] }),
      ];
    });
    expect(matched).toEqual([false, true]);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('numeric alternatives against a 256 KiB numeral parse it once and compare digit by digit', () => {
    const amount = '9'.repeat(MAX_EVENT_BYTES - 1024);
    const ranges = Array.from({ length: 100 }, (_, index) => ({ numeric: ['>', index, '<', index + 0.5] }));
    let matched = [true, false];
    const elapsed = elapsedMs(() => {
      matched = [
        compileEventPattern({ data: { amount: ranges } })(envelopeWith({ amount })),
        compileEventPattern({ data: { amount: [{ numeric: ['>', 9007199254740991] }] } })(envelopeWith({ amount })),
      ];
    });
    expect(matched).toEqual([false, true]);
    expect(elapsed).toBeLessThan(2_000);
  });
});
