import { median, percentile } from './statistics';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);

  it('takes the nearest rank of unsorted figures', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('answers the middle of an odd count and NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([], 99)).toBeNaN();
  });
});
