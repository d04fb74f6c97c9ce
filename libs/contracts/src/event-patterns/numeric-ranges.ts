import { compareDecimals, Decimal } from './decimal';
import type { NumericOperator } from './event-pattern';

/**
 * A bound as a point of the number line refined with a side: `(n, -1)` lies just below n, `(n, 0)`
 * is n itself, `(n, +1)` just above. Open and closed bounds then become plain closed intervals
 * (`> 5` starts at `(5, +1)`, `<= 5` ends at `(5, +1)`), which sort and merge without special cases.
 */
interface Point {
  readonly value: Decimal;
  readonly side: -1 | 0 | 1;
}

/** A closed interval of points; `undefined` is unbounded on that side. */
interface Interval {
  readonly lower?: Point;
  readonly upper?: Point;
}

const comparePoints = (a: Point, b: Point): number => compareDecimals(a.value, b.value) || a.side - b.side;

/** Whether no number (a point of side 0) lies between the bounds. */
function isEmpty({ lower, upper }: Interval): boolean {
  if (!lower || !upper) return false;
  const order = compareDecimals(lower.value, upper.value);
  return order > 0 || (order === 0 && !(lower.side < 0 && upper.side > 0));
}

/** The interval of one `numeric` alternative: `[op, n]` or `[op, n, op, m]`. */
export function numericInterval(comparisons: ReadonlyArray<readonly [NumericOperator, Decimal]>): Interval {
  let lower: Point | undefined;
  let upper: Point | undefined;
  for (const [operator, value] of comparisons) {
    if (operator === '=' || operator === '>=') lower = { value, side: -1 };
    if (operator === '>') lower = { value, side: 1 };
    if (operator === '=' || operator === '<=') upper = { value, side: 1 };
    if (operator === '<') upper = { value, side: -1 };
  }
  return { lower, upper };
}

/** Whether `[op, n, op, m]` admits at least one number (validation refuses those that do not). */
export const isSatisfiable = (comparisons: ReadonlyArray<readonly [NumericOperator, Decimal]>): boolean =>
  !isEmpty(numericInterval(comparisons));

/**
 * The union of a leaf's numeric alternatives, merged into sorted disjoint intervals once, so that a
 * value is placed by binary search: a leaf with many ranges costs log(ranges) per event value.
 */
export class NumericRanges {
  private readonly intervals: readonly Interval[];

  constructor(intervals: Iterable<Interval>) {
    const sorted = [...intervals]
      .filter((interval) => !isEmpty(interval))
      .sort((a, b) => (!a.lower ? (!b.lower ? 0 : -1) : !b.lower ? 1 : comparePoints(a.lower, b.lower)));
    const merged: Interval[] = [];
    for (const interval of sorted) {
      const last = merged[merged.length - 1];
      if (last && (!last.upper || !interval.lower || comparePoints(interval.lower, last.upper) <= 0)) {
        const upper = !last.upper || !interval.upper ? undefined : maxPoint(last.upper, interval.upper);
        merged[merged.length - 1] = { lower: last.lower, upper };
      } else {
        merged.push(interval);
      }
    }
    this.intervals = merged;
  }

  contains(value: Decimal): boolean {
    // The last interval starting at or before the value is the only one that can hold it.
    let low = 0;
    let high = this.intervals.length - 1;
    let candidate = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const lower = this.intervals[middle].lower;
      if (!lower || comparePointToValue(lower, value) <= 0) {
        candidate = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (candidate < 0) return false;
    const upper = this.intervals[candidate].upper;
    return !upper || comparePointToValue(upper, value) >= 0;
  }
}

/** comparePoints(point, (value, 0)), without making the second point: this runs per event value. */
const comparePointToValue = (point: Point, value: Decimal): number => compareDecimals(point.value, value) || point.side;

const maxPoint = (a: Point, b: Point): Point => (comparePoints(a, b) >= 0 ? a : b);
