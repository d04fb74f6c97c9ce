import type { EventPatternValue } from './event-pattern';

/**
 * A set of JSON values, equal when their type and value are (`"1"` is not `1`; `0` is `-0`). One
 * native set per type, so a lookup hashes the event's own string, whose hash V8 keeps: checking
 * one event against a thousand patterns hashes each of its strings once.
 */
export class ValueSet {
  private readonly strings = new Set<string>();
  private readonly numbers = new Set<number>();
  private readonly others = new Set<boolean | null>();

  constructor(values: Iterable<EventPatternValue> = []) {
    for (const value of values) this.add(value);
  }

  get size(): number {
    return this.strings.size + this.numbers.size + this.others.size;
  }

  add(value: EventPatternValue): void {
    if (typeof value === 'string') this.strings.add(value);
    else if (typeof value === 'number') this.numbers.add(value);
    else this.others.add(value);
  }

  has(value: EventPatternValue): boolean {
    if (typeof value === 'string') return this.strings.has(value);
    if (typeof value === 'number') return this.numbers.has(value);
    return this.others.has(value);
  }

  /** The values every one of `sets` holds. */
  static intersection(sets: readonly ValueSet[]): ValueSet {
    const [first, ...rest] = sets;
    const common = new ValueSet();
    for (const value of [...first.strings, ...first.numbers, ...first.others]) {
      if (rest.every((set) => set.has(value))) common.add(value);
    }
    return common;
  }
}
