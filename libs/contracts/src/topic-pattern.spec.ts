import { isTopicPattern, TOPIC_PATTERN_MAX_LENGTH, topicMatches } from './topic-pattern';

/**
 * The definition, written as plainly as possible: exponential on some inputs, so only fit to
 * check the real matcher on small ones. Keys and patterns split as RabbitMQ splits them.
 */
function naiveTopicMatches(pattern: string, routingKey: string): boolean {
  const split = (text: string) => (text === '' ? [] : text.split('.'));
  const match = (p: string[], w: string[]): boolean => {
    if (p.length === 0) return w.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return [...Array(w.length + 1).keys()].some((skip) => match(rest, w.slice(skip)));
    return w.length > 0 && (head === '*' || head === w[0]) && match(rest, w.slice(1));
  };
  return match(split(pattern), split(routingKey));
}

/** mulberry32: a small seeded generator, so a failure names a case that can be run again. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('topicMatches', () => {
  it.each([
    ['transaction.created', 'transaction.created', true],
    ['transaction.created', 'transaction.updated', false],
    ['transaction.*', 'transaction.created', true],
    ['transaction.*', 'transaction', false],
    ['transaction.*', 'transaction.created.extra', false],
    ['*.created', 'transaction.created', true],
    ['#', 'account.balance_updated', true],
    ['#', 'a.b.c', true],
    ['#', '', true],
    ['*', '', false],
    ['', '', true],
    ['', 'a', false],
    ['transaction.#', 'transaction', true],
    ['transaction.#', 'transaction.a.b', true],
    ['#.updated', 'transaction.updated', true],
    ['#.updated', 'updated', true],
    ['#.updated', 'account.balance_updated', false],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['a.#.b', 'a.b', true],
    ['a.#.b', 'a.x.b', true],
    ['a.#.b', 'a.b.b', true],
    ['a.#.b', 'a.b.x', false],
    ['a.#.b', 'b', false],
    ['#.#', '', true],
    ['#.#', 'a', true],
    ['#.#', 'a.b.c', true],
    ['*.#', 'a', true],
    ['*.#', 'a.b.c', true],
    ['*.#', '', false],
    ['#.*', 'a', true],
    ['#.*', '', false],
    ['#.*.#', 'a.b', true],
    ['*.*', 'a', false],
    ['*.*', 'a.b', true],
    ['a.*.#.*', 'a.b.c', true],
    ['a.*.#.*', 'a.b', false],
    ['#.a.#', 'x.a', true],
    ['#.a.#', 'x.y', false],
    ['a..b', 'a..b', true],
    ['a.*.b', 'a..b', true],
    ['campaign.*', 'campaign.activated', true],
  ])('%j ~ %j is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
    expect(naiveTopicMatches(pattern, key)).toBe(expected);
  });

  it('agrees with the naive definition on 20,000 small random patterns and keys', () => {
    const random = seededRandom(20261125);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const text = (alphabet: readonly string[], maxWords: number) =>
      Array.from({ length: Math.floor(random() * (maxWords + 1)) }, () => pick(alphabet)).join('.');
    const disagreements: string[] = [];
    for (let run = 0; run < 20_000; run++) {
      const pattern = text(['a', 'b', '*', '#', '#'], 6);
      const key = text(['a', 'b', 'c'], 6);
      if (topicMatches(pattern, key) !== naiveTopicMatches(pattern, key)) {
        disagreements.push(`${JSON.stringify(pattern)} ~ ${JSON.stringify(key)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('agrees with the naive definition on every pattern and key of up to 4 words', () => {
    const all = (alphabet: readonly string[], maxWords: number): string[] => {
      const byLength: string[][] = [['']];
      for (let length = 1; length <= maxWords; length++) {
        byLength.push(
          byLength[length - 1].flatMap((prefix) => alphabet.map((word) => (length === 1 ? word : `${prefix}.${word}`))),
        );
      }
      return byLength.flat();
    };
    const keys = all(['a', 'b'], 4);
    const disagreements = all(['a', '*', '#'], 4).flatMap((pattern) =>
      keys
        .filter((key) => topicMatches(pattern, key) !== naiveTopicMatches(pattern, key))
        .map((key) => `${JSON.stringify(pattern)} ~ ${JSON.stringify(key)}`),
    );
    expect(disagreements).toEqual([]);
  });

  // A backtracking matcher overflowed the stack on this one (and took seconds on shorter ones).
  it.each([
    ['#.'.repeat(8000) + 'zz', 'transaction.created', false],
    ['#.'.repeat(8000) + 'created', 'transaction.created', true],
    ['#.*.'.repeat(5000) + 'zz', 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p', false],
  ])('returns on a hostile pattern of %#', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('isTopicPattern', () => {
  it.each(['#', '*', 'transaction.*', 'account.balance_updated', 'a.#.z', 'webhook.test', 'a-b_c.9'])(
    'accepts %s',
    (pattern) => {
      expect(isTopicPattern(pattern)).toBe(true);
    },
  );

  it('accepts a pattern of exactly the maximum length', () => {
    expect(isTopicPattern('a'.repeat(TOPIC_PATTERN_MAX_LENGTH))).toBe(true);
  });

  it.each(['', '.', 'a..b', 'a.', 'Transaction.created', 'a.b*', 'a b', 'a.#b', 'a.\n', 'a'.repeat(256)])(
    'refuses %j',
    (pattern) => {
      expect(isTopicPattern(pattern)).toBe(false);
    },
  );

  it('refuses the hostile pattern by its length', () => {
    expect(isTopicPattern('#.'.repeat(8000) + 'zz')).toBe(false);
  });
});
