import { HEAP_GROWING_PERCENT, heapGrowthFlag } from './heap-growth';

describe('heap growth', () => {
  it('is bounded when the operator chose nothing', () => {
    expect(heapGrowthFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowthFlag(['--enable-source-maps'], '--max-old-space-size=512')).toBe(
      `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    );
  });

  it("is left to the operator's own flag, on the command line or in NODE_OPTIONS", () => {
    expect(heapGrowthFlag(['--heap-growing-percent=100'])).toBeUndefined();
    expect(heapGrowthFlag([], '--inspect --heap_growing_percent=10')).toBeUndefined();
  });
});
