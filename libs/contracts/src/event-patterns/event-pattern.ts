/**
 * An event pattern: the `filter` of a webhook or a subscription (CONTRACT.md sections 7 and 8),
 * EventBridge's content filtering over our CloudEvents envelope.
 *
 * ```json
 * { "type": [{ "prefix": "transaction." }],
 *   "data": { "currency": ["EUR"], "amount": [{ "numeric": [">=", 100000] }] } }
 * ```
 *
 * Structure. An object's fields must all match (AND); it nests as the envelope does (`data.amount`).
 * A leaf is a list of alternatives, any of which may match (OR). Alternatives:
 * - exact values: a string, number, boolean or `null`, equal in value and JSON type (`["100"]` does
 *   not match the number 100, nor `[100]` the string "100"; `[null]` matches `null`, not `""`);
 * - `{ "prefix": s }`, `{ "suffix": s }`: strings only, compared in UTF-16 code units;
 * - `{ "equals-ignore-case": s }`: strings only, both sides through `toLowerCase()` (no locale);
 * - `{ "anything-but": v | [v, ...] | { "prefix": s } }`: any value that is present and is not one
 *   of the values (equal as for exact values, so `[{ "anything-but": "0" }]` lets the number 0
 *   through), or any value but a string starting with `s`;
 * - `{ "exists": true | false }`: whether the field holds a value at all;
 * - `{ "numeric": [op, n] }` or `{ "numeric": [">" | ">=", n, "<" | "<=", m] }` with op one of
 *   `=`, `<`, `<=`, `>`, `>=`: JSON numbers, and strings that are plain decimal numerals
 *   (`-?digits(.digits)?`, such as every `amount`), compared as exact decimals: digit by digit,
 *   never through a float, whatever their size (an amount of 25 digits compares right too).
 *
 * Where the contract is silent we do what EventBridge documents, namely:
 * - A field holding an array matches when any of its elements matches (arrays nested in arrays
 *   are flattened); an object pattern is matched against each element on its own, so all its
 *   fields must match within the same element (EventBridge's array-consistent matching). An empty
 *   array holds no value: it is matched as an absent field.
 * - Only values are leaves: where the event holds an object and the pattern a list of
 *   alternatives, no alternative matches it but `{ "exists": false }` (EventBridge: exists works on
 *   leaf nodes only). Where the event holds a value, or nothing, and the pattern an object, every
 *   field of that object is absent (`{ "data": { "x": { "y": [{ "exists": false }] } } }` matches
 *   when `data.x` is a string).
 * - `exists: true` matches any value, `null` included; `exists: false` matches an absent field and
 *   only that; `anything-but` never matches an absent field.
 * - Refused (EventBridge refuses them too): an empty object or list anywhere, a value where a list
 *   or an object belongs, an operator object with other than one key, an unknown operator (such as
 *   `wildcard` or `cidr`, which we do not support), `anything-but` with an empty list or an empty
 *   prefix, `numeric` other than one comparison or a lower then an upper bound, or a range no number
 *   lies in (`[">", 5, "<", 5]`), and the `$or` key (EventBridge's OR across fields; not supported,
 *   and refused rather than taken for a field named `$or`).
 * - Beyond EventBridge: `anything-but` also takes booleans, `null` and mixed lists, and `numeric`
 *   compares exactly at any magnitude (EventBridge: ±5e9, 6 decimals).
 *
 * Limits: at most 4 KiB as compact JSON, and objects nested at most 16 deep. Numeric operands are
 * JSON numbers: an integer beyond 2^53 - 1 is refused, since JSON parsing has already rounded it; a
 * fraction is taken as the shortest decimal that reads back as the same double (what was written,
 * for up to 15 significant digits).
 */
export type EventPattern = { [field: string]: EventPattern | EventPatternAlternative[] };

export type EventPatternValue = string | number | boolean | null;

export type EventPatternAlternative =
  | EventPatternValue
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': EventPatternValue | EventPatternValue[] | { prefix: string } }
  | { exists: boolean }
  | { numeric: [NumericOperator, number] | [LowerBoundOperator, number, UpperBoundOperator, number] };

export type LowerBoundOperator = '>' | '>=';
export type UpperBoundOperator = '<' | '<=';
export type NumericOperator = '=' | LowerBoundOperator | UpperBoundOperator;

export const NUMERIC_OPERATORS: readonly NumericOperator[] = ['=', '<', '<=', '>', '>='];

export const EVENT_PATTERN_OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'exists',
  'numeric',
] as const;

export type EventPatternOperator = (typeof EVENT_PATTERN_OPERATORS)[number];

/** CONTRACT.md section 8: 4 KiB of JSON. The depth bounds the matcher's recursion. */
export const EVENT_PATTERN_LIMITS = { maxBytes: 4096, maxDepth: 16 } as const;

/** A plain JSON object (what JSON.parse makes of `{...}`), arrays and null excluded. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value an exact alternative can be, and what the matcher compares at a leaf. */
export const isPatternValue = (value: unknown): value is EventPatternValue =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** Keys that would read ambiguously after a dot are quoted: `data.metadata["a.b"]`. */
const PLAIN_KEY = /^[^.[\]"\s\p{Cc}]+$/u;

/** The path of `key` inside the part at `parent` (`''` for the pattern itself), as errors name it. */
export const fieldPath = (parent: string, key: string): string => {
  const step = PLAIN_KEY.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (parent === '') return step;
  return step.startsWith('[') ? `${parent}${step}` : `${parent}.${step}`;
};

/** The path of item `index` of the list at `parent`. */
export const itemPath = (parent: string, index: number): string => `${parent}[${index}]`;
