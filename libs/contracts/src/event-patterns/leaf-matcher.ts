import { AffixSet } from './affix-set';
import { decimalFromNumber, decimalOfValue } from './decimal';
import type { EventPatternAlternative, EventPatternValue, NumericOperator } from './event-pattern';
import { NumericRanges, numericInterval } from './numeric-ranges';
import { ValueSet } from './value-set';

/** One list of alternatives, compiled: what it says of an absent field, and of a value. */
export interface LeafMatcher {
  readonly kind: 'leaf';
  readonly matchesAbsent: boolean;
  matchesValue(value: EventPatternValue): boolean;
}

/**
 * A leaf's `anything-but` alternatives together. The leaf fails a value only if every one of them
 * refuses it: the value is in all their lists, and starts with all their prefixes. Both conditions
 * reduce to one set lookup and one startsWith, however many alternatives there are.
 */
class AnythingBut {
  /** Values every list refuses; undefined when there is no list to satisfy. */
  private readonly refusedByAllLists?: ValueSet;
  /** The prefix every prefix alternative refuses; null when no string starts with all of them. */
  private readonly refusedPrefix?: string | null;

  constructor(lists: readonly ValueSet[], prefixes: readonly string[]) {
    if (lists.length > 0) this.refusedByAllLists = ValueSet.intersection(lists);
    if (prefixes.length > 0) {
      const longest = prefixes.reduce((a, b) => (b.length > a.length ? b : a));
      this.refusedPrefix = prefixes.every((prefix) => longest.startsWith(prefix)) ? longest : null;
    }
  }

  matches(value: EventPatternValue): boolean {
    const refusedByLists = !this.refusedByAllLists || this.refusedByAllLists.has(value);
    const refusedByPrefixes =
      this.refusedPrefix === undefined ||
      (this.refusedPrefix !== null && typeof value === 'string' && value.startsWith(this.refusedPrefix));
    return !(refusedByLists && refusedByPrefixes);
  }
}

class CompiledLeaf implements LeafMatcher {
  readonly kind = 'leaf';
  matchesAbsent = false;
  private matchesAnyValue = false;
  private readonly exact = new ValueSet();
  private readonly hasExact: boolean;
  private readonly single: boolean;
  private readonly expected: unknown;
  private readonly ignoringCase = new Set<string>();
  private prefixes?: AffixSet;
  private suffixes?: AffixSet;
  private numeric?: NumericRanges;
  private anythingBut?: AnythingBut;

  constructor(alternatives: readonly EventPatternAlternative[]) {
    const prefixes: string[] = [];
    const suffixes: string[] = [];
    const intervals: ReturnType<typeof numericInterval>[] = [];
    const refusedLists: ValueSet[] = [];
    const refusedPrefixes: string[] = [];
    for (const alternative of alternatives) {
      if (alternative === null || typeof alternative !== 'object') this.exact.add(alternative);
      else if ('prefix' in alternative) prefixes.push(alternative.prefix);
      else if ('suffix' in alternative) suffixes.push(alternative.suffix);
      else if ('equals-ignore-case' in alternative)
        this.ignoringCase.add(alternative['equals-ignore-case'].toLowerCase());
      else if ('exists' in alternative) {
        if (alternative.exists) this.matchesAnyValue = true;
        else this.matchesAbsent = true;
      } else if ('numeric' in alternative) {
        const [operator, operand, upperOperator, upperOperand] = alternative.numeric;
        const comparisons: [NumericOperator, number][] = [[operator, operand]];
        if (upperOperator !== undefined && upperOperand !== undefined) comparisons.push([upperOperator, upperOperand]);
        intervals.push(numericInterval(comparisons.map(([op, n]) => [op, decimalFromNumber(n)!] as const)));
      } else {
        const refused = alternative['anything-but'];
        if (Array.isArray(refused)) refusedLists.push(new ValueSet(refused));
        else if (refused !== null && typeof refused === 'object') refusedPrefixes.push(refused.prefix);
        else refusedLists.push(new ValueSet([refused]));
      }
    }
    if (prefixes.length > 0) this.prefixes = new AffixSet(prefixes, 'start');
    if (suffixes.length > 0) this.suffixes = new AffixSet(suffixes, 'end');
    if (intervals.length > 0) this.numeric = new NumericRanges(intervals);
    if (refusedLists.length + refusedPrefixes.length > 0)
      this.anythingBut = new AnythingBut(refusedLists, refusedPrefixes);
    this.hasExact = this.exact.size > 0;
    // The commonest leaf by far, `["EUR"]`: one comparison instead of the general walk.
    this.single = alternatives.length === 1 && (alternatives[0] === null || typeof alternatives[0] !== 'object');
    this.expected = alternatives[0];
  }

  matchesValue(value: EventPatternValue): boolean {
    if (this.single) return value === this.expected;
    if (this.matchesAnyValue || (this.hasExact && this.exact.has(value))) return true;
    if (typeof value === 'string') {
      if (this.prefixes?.matches(value) || this.suffixes?.matches(value)) return true;
      if (this.ignoringCase.size > 0 && this.ignoringCase.has(value.toLowerCase())) return true;
    }
    if (this.numeric && typeof value !== 'boolean' && value !== null) {
      const decimal = decimalOfValue(value);
      if (decimal && this.numeric.contains(decimal)) return true;
    }
    return this.anythingBut?.matches(value) ?? false;
  }
}

/** Compiles a validated list of alternatives (see eventPatternProblems). */
export const compileLeaf = (alternatives: readonly EventPatternAlternative[]): LeafMatcher =>
  new CompiledLeaf(alternatives);
