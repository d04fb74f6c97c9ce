/** The value at percentile `p` (0-100) of unsorted figures, nearest rank; NaN when there are none. */
export function percentile(figures: number[], p: number): number {
  if (figures.length === 0) return Number.NaN;
  const sorted = [...figures].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (figures: number[]): number => percentile(figures, 50);

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
