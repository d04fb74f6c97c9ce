import type { EventPattern } from './event-pattern';
import { isJsonObject, isPatternValue } from './event-pattern';
import { EventPatternProblem, eventPatternProblems } from './event-pattern-problems';
import { compileLeaf, LeafMatcher } from './leaf-matcher';

/** Whether one event (a parsed CloudEvents envelope) matches a compiled pattern. */
export type EventMatcher = (event: unknown) => boolean;

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';

  constructor(readonly problems: readonly EventPatternProblem[]) {
    super(
      `invalid event pattern: ${problems.map(({ path, message }) => `${path || 'pattern'} ${message}`).join('; ')}`,
    );
  }
}

/** An object of the pattern: every field must match. */
interface FieldsMatcher {
  readonly kind: 'fields';
  readonly fields: ReadonlyMap<string, Matcher>;
  /** The same, as arrays: probing walks them without an iterator. */
  readonly keys: readonly string[];
  readonly matchers: readonly Matcher[];
  /** Per key, whether objects inherit it (`constructor`, `__proto__`): only these need an own-key check. */
  readonly inherited: readonly boolean[];
  /** How many fields an absent value does not satisfy: those the event must hold. */
  readonly required: number;
  readonly matchesAbsent: boolean;
}

type Matcher = FieldsMatcher | LeafMatcher;

/**
 * Below this many fields, an event object is probed for each of them; above, its own keys are
 * walked instead. Either way an object costs at most max(this, its key count) steps, so a pattern
 * of 500 fields against an array of 100,000 small objects stays linear in the event.
 */
const PROBED_FIELDS = 8;

function compileFields(pattern: EventPattern): FieldsMatcher {
  const fields = new Map<string, Matcher>();
  for (const [key, value] of Object.entries(pattern)) {
    fields.set(key, Array.isArray(value) ? compileLeaf(value) : compileFields(value));
  }
  const required = [...fields.values()].filter((field) => !field.matchesAbsent).length;
  return {
    kind: 'fields',
    fields,
    keys: [...fields.keys()],
    matchers: [...fields.values()],
    inherited: [...fields.keys()].map((key) => key in Object.prototype),
    required,
    matchesAbsent: required === 0,
  };
}

/** A value, an object, or nothing: what an array element or a field holds once arrays are opened. */
function matchesElement(matcher: Matcher, element: unknown): boolean {
  if (matcher.kind === 'leaf') return isPatternValue(element) ? matcher.matchesValue(element) : matcher.matchesAbsent;
  return isJsonObject(element) ? matchesFields(matcher, element) : matcher.matchesAbsent;
}

function matchesFields(matcher: FieldsMatcher, object: Record<string, unknown>): boolean {
  const { keys, matchers, inherited } = matcher;
  if (keys.length <= PROBED_FIELDS) {
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      const value = inherited[index] && !Object.hasOwn(object, key) ? undefined : object[key];
      if (!matchesValue(matchers[index], value)) return false;
    }
    return true;
  }
  // The fields the object lacks are fine if absent ones satisfy them: count the required ones seen.
  let required = 0;
  for (const key of Object.keys(object)) {
    const field = matcher.fields.get(key);
    if (!field) continue;
    if (!matchesValue(field, object[key])) return false;
    if (!field.matchesAbsent) required++;
  }
  return required === matcher.required;
}

/**
 * A field's value: an array matches if one of its elements does (nested arrays flattened, without
 * recursion: their depth is the event's, not the pattern's), an empty one as an absent field.
 */
function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (!Array.isArray(value)) return matchesElement(matcher, value);
  const arrays: unknown[][] = [value];
  const positions: number[] = [0];
  let sawElement = false;
  while (arrays.length > 0) {
    const top = arrays.length - 1;
    const array = arrays[top];
    const position = positions[top];
    if (position === array.length) {
      arrays.pop();
      positions.pop();
      continue;
    }
    positions[top] = position + 1;
    const element: unknown = array[position];
    if (Array.isArray(element)) {
      arrays.push(element);
      positions.push(0);
    } else {
      sawElement = true;
      if (matchesElement(matcher, element)) return true;
    }
  }
  return !sawElement && matcher.matchesAbsent;
}

/**
 * Compiles an event pattern once (per webhook or subscription) into a function that tells, per
 * event, whether it matches; throws InvalidEventPatternError if eventPatternProblems finds any.
 * See EventPattern for the semantics.
 *
 * Cost: each node of the event is looked at by at most one node of the pattern (the one at the same
 * path, array indices aside), and pays for it with set lookups, a few startsWith or one walk of a
 * trie, a binary search among merged numeric ranges and one decimal parse: linear in the event's
 * size, whatever the number of alternatives. Building all that is linear in the pattern's. Recursion follows the pattern,
 * whose depth validation bounds; arrays in the event are walked with an explicit stack.
 */
export function compileEventPattern(pattern: unknown): EventMatcher {
  const problems = eventPatternProblems(pattern);
  if (problems.length > 0) throw new InvalidEventPatternError(problems);
  const matcher = compileFields(pattern as EventPattern);
  return (event) => matchesValue(matcher, event);
}
