import fc from 'fast-check';
import { compileEventPattern, InvalidEventPatternError } from './compile-event-pattern';
import { eventPatternProblems } from './event-pattern-problems';
import { jsonBytesExceed } from './json-size';

/**
 * The semantics of EventPattern written as plainly as possible: no compilation, no tries, no
 * merged ranges, numbers compared through BigInt (value = mantissa x 10^exponent). Slow and
 * recursive, so only fit to check the real matcher on small inputs.
 */
function naiveMatches(pattern: Record<string, unknown>, event: unknown): boolean {
  const ABSENT = undefined;
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const isValue = (value: unknown) =>
    value === null || ['string', 'boolean'].includes(typeof value) || (typeof value === 'number' && isFinite(value));
  const flat = (value: unknown[]): unknown[] => value.flatMap((item) => (Array.isArray(item) ? flat(item) : [item]));
  // What a pattern node is matched against: each element of an array, an empty array as absence.
  const elements = (value: unknown): unknown[] => {
    if (!Array.isArray(value)) return [value];
    const items = flat(value);
    return items.length === 0 ? [ABSENT] : items;
  };
  const exact = (numeral: string): { mantissa: bigint; exponent: number } | undefined => {
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(numeral);
    if (!match) return undefined;
    const fraction = match[3] ?? '';
    return { mantissa: BigInt(match[1] + match[2] + fraction), exponent: Number(match[4] ?? 0) - fraction.length };
  };
  const compare = (a: string, b: string): number => {
    const [x, y] = [exact(a)!, exact(b)!];
    const common = Math.min(x.exponent, y.exponent);
    const left = x.mantissa * 10n ** BigInt(x.exponent - common);
    const right = y.mantissa * 10n ** BigInt(y.exponent - common);
    return left < right ? -1 : left > right ? 1 : 0;
  };
  const numeral = (value: unknown): string | undefined =>
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
        ? value
        : undefined;
  const holds = (operator: string, order: number) =>
    ({ '=': order === 0, '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0 })[operator];

  const alternativeMatches = (alternative: unknown, value: unknown): boolean => {
    if (!isObject(alternative)) return isValue(value) && value === alternative;
    const [[operator, operand]] = Object.entries(alternative);
    if (operator === 'exists') return operand === isValue(value);
    if (!isValue(value)) return false;
    const text = typeof value === 'string' ? value : undefined;
    switch (operator) {
      case 'prefix':
        return text !== undefined && text.startsWith(operand as string);
      case 'suffix':
        return text !== undefined && text.endsWith(operand as string);
      case 'equals-ignore-case':
        return text !== undefined && text.toLowerCase() === (operand as string).toLowerCase();
      case 'anything-but':
        if (isObject(operand)) return !(text !== undefined && text.startsWith(operand.prefix as string));
        return !(Array.isArray(operand) ? operand : [operand]).some((refused) => refused === value);
      case 'numeric': {
        const number = numeral(value);
        const comparisons = operand as (string | number)[];
        return (
          number !== undefined &&
          [0, 2]
            .filter((index) => index < comparisons.length)
            .every((index) =>
              holds(comparisons[index] as string, compare(number, String(comparisons[index + 1] as number))),
            )
        );
      }
      default:
        throw new Error(`no such operator ${operator}`);
    }
  };
  const nodeMatches = (node: unknown, value: unknown): boolean =>
    elements(value).some((element) =>
      Array.isArray(node)
        ? node.some((alternative) => alternativeMatches(alternative, element))
        : Object.entries(node as Record<string, unknown>).every(([key, child]) =>
            nodeMatches(child, isObject(element) && Object.hasOwn(element, key) ? element[key] : ABSENT),
          ),
    );
  return nodeMatches(pattern, event);
}

// A small vocabulary, so that random patterns and events meet often enough to match.
const KEYS = ['a', 'b', 'c'];
const STRINGS = ['', 'x', 'xy', 'X', 'Xy', 'yx', 'ab', '10', '2', '-1.5', '007', '100000', '99.5', '1e3', 'İ'];
const NUMBERS = [0, -0, 1, -1, 2, 2.5, 7, 10, 99.5, 100, 100000, 1e21, 1.5e-7, -3.25, 2 ** 53 + 2];
const OPERANDS = [0, 1, -1, 2, 2.5, 7, 10, 99.5, 100, 100000, 1.5e-7, -3.25];
const AFFIXES = ['', 'x', 'X', 'xy', 'y', '1', '-', '0'];

const value = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS), fc.boolean(), fc.constant(null));

const { event } = fc.letrec((tie) => ({
  event: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    value,
    fc.array(tie('event'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('event'), { maxKeys: 3 }),
  ),
}));

const order = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

const numeric = fc.oneof(
  fc.tuple(fc.constantFrom('=', '<', '<=', '>', '>='), fc.constantFrom(...OPERANDS)),
  fc
    .tuple(
      fc.constantFrom('>', '>='),
      fc.constantFrom(...OPERANDS),
      fc.constantFrom('<', '<='),
      fc.constantFrom(...OPERANDS),
    )
    // Only ranges some number lies in are valid (these operands are exact as doubles).
    .filter(([low, a, high, b]) => order(a, b) < 0 || (a === b && low === '>=' && high === '<=')),
);

const alternative = fc.oneof(
  value,
  fc.record({ prefix: fc.constantFrom(...AFFIXES) }),
  fc.record({ suffix: fc.constantFrom(...AFFIXES) }),
  fc.record({ 'equals-ignore-case': fc.constantFrom(...STRINGS) }),
  fc.record({
    'anything-but': fc.oneof(
      value,
      fc.array(value, { minLength: 1, maxLength: 3 }),
      fc.record({ prefix: fc.constantFrom(...AFFIXES.filter((affix) => affix !== '')) }),
    ),
  }),
  fc.record({ exists: fc.boolean() }),
  fc.record({ numeric }),
);

const { pattern } = fc.letrec((tie) => ({
  pattern: fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof({ depthSize: 'small' }, fc.array(alternative, { minLength: 1, maxLength: 4 }), tie('pattern')),
    { minKeys: 1, maxKeys: 2 },
  ),
}));

/** Mostly objects holding most of the keys, as envelopes hold the fields patterns name. */
const topEvent = fc.oneof(
  { weight: 9, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), event, { minKeys: 2, maxKeys: 3 }) },
  { weight: 1, arbitrary: event },
);

describe('compileEventPattern, against the naive definition', () => {
  it('accepts every pattern of the generator (so that the next properties test valid ones)', () => {
    fc.assert(
      fc.property(pattern, (generated) => {
        expect(eventPatternProblems(generated)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with it on random patterns and events, which match often enough to tell', () => {
    let matched = 0;
    let runs = 0;
    fc.assert(
      fc.property(pattern, fc.array(topEvent, { minLength: 1, maxLength: 4 }), (generated, events) => {
        const matches = compileEventPattern(generated);
        for (const candidate of events) {
          const expected = naiveMatches(generated, candidate);
          expect(matches(candidate)).toBe(expected);
          runs++;
          if (expected) matched++;
        }
      }),
      { numRuns: 5000 },
    );
    // Neither verdict may be rare, or the agreement would say little.
    expect(matched / runs).toBeGreaterThan(0.05);
    expect(matched / runs).toBeLessThan(0.95);
  });

  it('agrees with it on one leaf of many alternatives against a field of many values', () => {
    fc.assert(
      fc.property(
        fc.array(alternative, { minLength: 1, maxLength: 20 }),
        fc.oneof(value, fc.array(value, { maxLength: 6 })),
        (alternatives, field) => {
          expect(compileEventPattern({ a: alternatives })({ a: field })).toBe(
            naiveMatches({ a: alternatives }, { a: field }),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with it on the numeric comparison of decimal strings of any length', () => {
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 30 }),
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 10 })),
      )
      .map(
        ([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}`,
      );
    fc.assert(
      fc.property(numeric, decimal, (comparisons, amount) => {
        const filter = { amount: [{ numeric: comparisons }] };
        expect(compileEventPattern(filter)({ amount })).toBe(naiveMatches(filter, { amount }));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('eventPatternProblems, on any JSON', () => {
  it('never throws, and compileEventPattern refuses exactly what it finds fault with', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (json) => {
        const problems = eventPatternProblems(json);
        if (problems.length === 0) {
          expect(typeof compileEventPattern(json)).toBe('function');
        } else {
          expect(() => compileEventPattern(json)).toThrow(InvalidEventPatternError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('measures the size of JSON exactly as JSON.stringify writes it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 400 }), (json, limit) => {
        expect(jsonBytesExceed(json, limit)).toBe(Buffer.byteLength(JSON.stringify(json)) > limit);
      }),
      { numRuns: 3000 },
    );
  });
});
