import { isTopicPattern, topicMatches } from './topic-pattern';

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
    ['transaction.#', 'transaction', true],
    ['transaction.#', 'transaction.a.b', true],
    ['#.updated', 'transaction.updated', true],
    ['#.updated', 'account.balance_updated', false],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['campaign.*', 'campaign.activated', true],
  ])('%s ~ %s is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('isTopicPattern', () => {
  it.each(['#', '*', 'transaction.*', 'account.balance_updated', 'a.#.z', 'webhook.test'])('accepts %s', (pattern) => {
    expect(isTopicPattern(pattern)).toBe(true);
  });

  it.each(['', '.', 'a..b', 'a.', 'Transaction.created', 'a.b*', 'a b'])('refuses %j', (pattern) => {
    expect(isTopicPattern(pattern)).toBe(false);
  });
});
