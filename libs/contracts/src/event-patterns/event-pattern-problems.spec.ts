import { EVENT_PATTERN_LIMITS } from './event-pattern';
import { eventPatternProblems } from './event-pattern-problems';

const OPERATORS = 'prefix, suffix, equals-ignore-case, anything-but, exists, numeric';

/** A pattern whose compact JSON takes exactly `bytes` bytes: `{"type":["aaa..."]}`. */
const patternOfBytes = (bytes: number) => ({ type: ['a'.repeat(bytes - '{"type":[""]}'.length)] });

/** `{"a":{"a":...{"a":["x"]}}}` with `depth` objects. */
function nested(depth: number): Record<string, unknown> {
  let pattern: Record<string, unknown> = { a: ['x'] };
  for (let level = 1; level < depth; level++) pattern = { a: pattern };
  return pattern;
}

describe('eventPatternProblems', () => {
  it.each([
    { type: ['transaction.created'] },
    { type: [{ prefix: 'transaction.' }], data: { currency: ['EUR'], amount: [{ numeric: ['>=', 100000] }] } },
    { data: { amount: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 99.5] }, '7'] } },
    { data: { amount: [{ numeric: ['>=', 5, '<=', 5] }] } },
    { data: { amount: [{ numeric: ['<', -9007199254740991] }, { numeric: ['>', 1.5e-7] }] } },
    { data: { description: [null, '', true, false, 0, -1.5] } },
    { subject: [{ suffix: '01' }, { 'equals-ignore-case': 'ABC' }, { prefix: '' }] },
    { data: { status: [{ 'anything-but': 'failed' }, { 'anything-but': ['a', 1, null, false] }] } },
    { data: { status: [{ 'anything-but': { prefix: 'fail' } }, { 'anything-but': null }] } },
    { data: { previousStatus: [{ exists: false }], metadata: { channel: [{ exists: true }] } } },
    { data: { metadata: { 'a.b': ['x'], '': ['y'] } } },
  ])('accepts %j', (pattern) => {
    expect(eventPatternProblems(pattern)).toEqual([]);
  });

  it('accepts a pattern of exactly 4 KiB, and one nested exactly 16 deep', () => {
    expect(eventPatternProblems(patternOfBytes(EVENT_PATTERN_LIMITS.maxBytes))).toEqual([]);
    expect(eventPatternProblems({ type: ['é'.repeat(2041)] })).toEqual([]);
    expect(eventPatternProblems(nested(EVENT_PATTERN_LIMITS.maxDepth))).toEqual([]);
  });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'null',
      null,
      [{ path: '', message: 'must be an object of envelope fields, such as { "type": ["transaction.created"] }' }],
    ],
    [
      'a list',
      [{ type: ['x'] }],
      [{ path: '', message: 'must be an object of envelope fields, such as { "type": ["transaction.created"] }' }],
    ],
    [
      'a string',
      'type = x',
      [{ path: '', message: 'must be an object of envelope fields, such as { "type": ["transaction.created"] }' }],
    ],
    ['an empty pattern', {}, [{ path: '', message: 'must name at least one field' }]],
    ['an empty nested object', { data: {} }, [{ path: 'data', message: 'must name at least one field' }]],
    ['an empty list', { type: [] }, [{ path: 'type', message: 'must hold at least one alternative' }]],
    [
      'a bare value',
      { type: 'transaction.created' },
      [{ path: 'type', message: 'must be a list of alternatives, such as ["EUR"], or an object of nested fields' }],
    ],
    [
      'null for a field',
      { data: { amount: null } },
      [
        {
          path: 'data.amount',
          message: 'must be a list of alternatives, such as ["EUR"], or an object of nested fields',
        },
      ],
    ],
    [
      'a list in a list',
      { type: [['a']] },
      [{ path: 'type[0]', message: `must be a string, number, boolean, null or an operator object (${OPERATORS})` }],
    ],
    [
      'an unknown operator',
      { type: [{ wildcard: 'transaction.*' }] },
      [{ path: 'type[0].wildcard', message: `is not an operator: use one of ${OPERATORS}` }],
    ],
    [
      'cidr',
      { ip: [{ cidr: '10.0.0.0/24' }] },
      [{ path: 'ip[0].cidr', message: `is not an operator: use one of ${OPERATORS}` }],
    ],
    [
      'two operators in one object',
      { type: [{ prefix: 'a', suffix: 'b' }] },
      [{ path: 'type[0]', message: `must hold exactly one operator (${OPERATORS}), not 2` }],
    ],
    [
      'an empty operator object',
      { type: [{}] },
      [{ path: 'type[0]', message: `must hold exactly one operator (${OPERATORS}), not 0` }],
    ],
    [
      'a prefix that is no string',
      { type: [{ prefix: 1 }] },
      [{ path: 'type[0].prefix', message: 'must be a string' }],
    ],
    [
      'a suffix that is no string',
      { type: [{ suffix: null }] },
      [{ path: 'type[0].suffix', message: 'must be a string' }],
    ],
    [
      'equals-ignore-case with a list',
      { type: [{ 'equals-ignore-case': ['a'] }] },
      [{ path: 'type[0].equals-ignore-case', message: 'must be a string' }],
    ],
    [
      'exists with a string',
      { type: [{ exists: 'true' }] },
      [{ path: 'type[0].exists', message: 'must be true or false' }],
    ],
    [
      'anything-but an empty list',
      { type: [{ 'anything-but': [] }] },
      [{ path: 'type[0].anything-but', message: 'must list at least one value' }],
    ],
    [
      'anything-but a list holding an object',
      { type: [{ 'anything-but': ['a', { prefix: 'b' }] }] },
      [{ path: 'type[0].anything-but[1]', message: 'must be a string, number, boolean or null' }],
    ],
    [
      'anything-but an empty prefix',
      { type: [{ 'anything-but': { prefix: '' } }] },
      [{ path: 'type[0].anything-but.prefix', message: 'must be a non-empty string' }],
    ],
    [
      'anything-but a suffix',
      { type: [{ 'anything-but': { suffix: '.x' } }] },
      [
        {
          path: 'type[0].anything-but.suffix',
          message: 'is not supported here: anything-but takes values or a prefix',
        },
      ],
    ],
    [
      'anything-but two operators',
      { type: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
      [{ path: 'type[0].anything-but', message: 'must hold exactly one operator (prefix), not 2' }],
    ],
    [
      'numeric with a single number',
      { data: { amount: [{ numeric: 5 }] } },
      [
        {
          path: 'data.amount[0].numeric',
          message: 'must be one comparison, such as [">=", 100], or a range, such as [">", 0, "<=", 5]',
        },
      ],
    ],
    [
      'numeric with three items',
      { data: { amount: [{ numeric: ['>', 0, '<'] }] } },
      [
        {
          path: 'data.amount[0].numeric',
          message: 'must be one comparison, such as [">=", 100], or a range, such as [">", 0, "<=", 5]',
        },
      ],
    ],
    [
      'numeric with an unknown operator',
      { data: { amount: [{ numeric: ['=>', 5] }] } },
      [{ path: 'data.amount[0].numeric[0]', message: 'must be one of =, <, <=, >, >=' }],
    ],
    [
      'numeric with a string operand',
      { data: { amount: [{ numeric: ['>=', '100000'] }] } },
      [{ path: 'data.amount[0].numeric[1]', message: 'must be a number' }],
    ],
    [
      'numeric with an integer JSON has rounded',
      JSON.parse('{ "data": { "amount": [{ "numeric": [">=", 123456789012345678] }] } }'),
      [
        {
          path: 'data.amount[0].numeric[1]',
          message: 'must be at most 2^53 - 1 in magnitude when it is an integer (larger ones lose digits in JSON)',
        },
      ],
    ],
    [
      'a range upside down',
      { data: { amount: [{ numeric: ['<', 10, '>', 0] }] } },
      [
        { path: 'data.amount[0].numeric[0]', message: 'must be one of >, >= (a range starts with its lower bound)' },
        { path: 'data.amount[0].numeric[2]', message: 'must be one of <, <= (the upper bound)' },
      ],
    ],
    [
      'an equality that is given a second bound',
      { data: { amount: [{ numeric: ['=', 10, '<', 20] }] } },
      [{ path: 'data.amount[0].numeric[0]', message: 'must be one of >, >= (a range starts with its lower bound)' }],
    ],
    [
      'an empty range',
      { data: { amount: [{ numeric: ['>', 5, '<', 5] }] } },
      [{ path: 'data.amount[0].numeric', message: 'must be a range some number lies in' }],
    ],
    [
      'a half-open empty range',
      { data: { amount: [{ numeric: ['>=', 5, '<', 5] }] } },
      [{ path: 'data.amount[0].numeric', message: 'must be a range some number lies in' }],
    ],
    [
      'a reversed range',
      { data: { amount: [{ numeric: ['>', 10, '<', 1.5] }] } },
      [{ path: 'data.amount[0].numeric', message: 'must be a range some number lies in' }],
    ],
    [
      '$or',
      { $or: [{ type: ['a'] }, { subject: ['b'] }] },
      [{ path: '$or', message: 'is not supported: every field of a pattern must match' }],
    ],
    [
      'a field name that needs quoting',
      { data: { metadata: { 'a.b': [] } } },
      [{ path: 'data.metadata["a.b"]', message: 'must hold at least one alternative' }],
    ],
    [
      'several problems at once',
      { type: [], data: { amount: [{ numeric: ['>=', 'x'] }, { prefix: 3 }], currency: 'EUR' } },
      [
        { path: 'type', message: 'must hold at least one alternative' },
        { path: 'data.amount[0].numeric[1]', message: 'must be a number' },
        { path: 'data.amount[1].prefix', message: 'must be a string' },
        {
          path: 'data.currency',
          message: 'must be a list of alternatives, such as ["EUR"], or an object of nested fields',
        },
      ],
    ],
    [
      'one byte over 4 KiB',
      patternOfBytes(EVENT_PATTERN_LIMITS.maxBytes + 1),
      [{ path: '', message: 'must be at most 4096 bytes as JSON' }],
    ],
    [
      'multi-byte characters over 4 KiB',
      { type: ['é'.repeat(2042)] },
      [{ path: '', message: 'must be at most 4096 bytes as JSON' }],
    ],
    [
      'objects nested one level too deep',
      nested(EVENT_PATTERN_LIMITS.maxDepth + 1),
      [
        {
          path: 'a.'.repeat(EVENT_PATTERN_LIMITS.maxDepth).slice(0, -1),
          message: 'must not nest objects more than 16 deep',
        },
      ],
    ],
  ])('refuses %s', (_description, pattern, expected) => {
    expect(eventPatternProblems(pattern)).toEqual(expected);
  });

  it('refuses a pattern nested 100,000 deep by its size, without recursing into it', () => {
    let hostile: unknown = ['x'];
    for (let level = 0; level < 100_000; level++) hostile = { a: hostile };
    expect(eventPatternProblems(hostile)).toEqual([{ path: '', message: 'must be at most 4096 bytes as JSON' }]);
  });

  it('refuses a pattern of a million alternatives by its size', () => {
    expect(eventPatternProblems({ type: Array.from({ length: 1_000_000 }, () => 1) })).toEqual([
      { path: '', message: 'must be at most 4096 bytes as JSON' },
    ]);
  });
});
