import { topicMatches } from './topic-pattern';

describe('topicMatches', () => {
  it.each([
    ['transaction.created', 'transaction.created', true],
    ['transaction.created', 'transaction.updated', false],
    ['transaction.*', 'transaction.created', true],
    ['transaction.*', 'transaction', false],
    ['transaction.*', 'transaction.created.late', false],
    ['#', 'account.balance_updated', true],
    ['campaign.#', 'campaign', true],
    ['campaign.#', 'campaign.activated', true],
    ['#.created', 'transaction.created', true],
    ['#.created', 'account.updated', false],
    ['*.created', 'created', false],
  ])('%s against %s is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
