import { decimalFromNumber } from './decimal';
import {
  EVENT_PATTERN_LIMITS,
  EVENT_PATTERN_OPERATORS,
  fieldPath,
  isJsonObject,
  isPatternValue,
  itemPath,
  NUMERIC_OPERATORS,
  NumericOperator,
} from './event-pattern';
import { jsonBytesExceed } from './json-size';
import { isSatisfiable } from './numeric-ranges';

/** One thing wrong with a pattern: where (`data.amount[0].numeric`, `''` for the whole) and what. */
export interface EventPatternProblem {
  path: string;
  /** Reads after the path: `must be a string`. */
  message: string;
}

const problem = (path: string, message: string): EventPatternProblem[] => [{ path, message }];

const OPERATOR_LIST = EVENT_PATTERN_OPERATORS.join(', ');

/**
 * Everything wrong with `pattern` as an event pattern (see EventPattern for the rules), each
 * with the path of the offending part; an empty list when it is valid. Never throws, whatever
 * the input: the size is checked first, without recursion, so the walk that follows is bounded.
 */
export function eventPatternProblems(pattern: unknown): EventPatternProblem[] {
  if (!isJsonObject(pattern)) {
    return problem('', 'must be an object of envelope fields, such as { "type": ["transaction.created"] }');
  }
  if (jsonBytesExceed(pattern, EVENT_PATTERN_LIMITS.maxBytes)) {
    return problem('', `must be at most ${EVENT_PATTERN_LIMITS.maxBytes} bytes as JSON`);
  }
  return fieldsProblems(pattern, '', 1);
}

function fieldsProblems(fields: Record<string, unknown>, path: string, depth: number): EventPatternProblem[] {
  const keys = Object.keys(fields);
  if (keys.length === 0) return problem(path, 'must name at least one field');
  if (depth > EVENT_PATTERN_LIMITS.maxDepth) {
    return problem(path, `must not nest objects more than ${EVENT_PATTERN_LIMITS.maxDepth} deep`);
  }
  return keys.flatMap((key) => {
    const at = fieldPath(path, key);
    const value = fields[key];
    if (key === '$or') return problem(at, 'is not supported: every field of a pattern must match');
    if (Array.isArray(value)) return alternativesProblems(value, at);
    if (isJsonObject(value)) return fieldsProblems(value, at, depth + 1);
    return problem(at, 'must be a list of alternatives, such as ["EUR"], or an object of nested fields');
  });
}

function alternativesProblems(alternatives: unknown[], path: string): EventPatternProblem[] {
  if (alternatives.length === 0) return problem(path, 'must hold at least one alternative');
  return alternatives.flatMap((alternative, index) => alternativeProblems(alternative, itemPath(path, index)));
}

function alternativeProblems(alternative: unknown, path: string): EventPatternProblem[] {
  if (isPatternValue(alternative)) return [];
  if (!isJsonObject(alternative)) {
    return problem(path, `must be a string, number, boolean, null or an operator object (${OPERATOR_LIST})`);
  }
  const keys = Object.keys(alternative);
  if (keys.length !== 1) {
    return problem(path, `must hold exactly one operator (${OPERATOR_LIST}), not ${keys.length}`);
  }
  const [operator] = keys;
  const operand = alternative[operator];
  const at = fieldPath(path, operator);
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      return typeof operand === 'string' ? [] : problem(at, 'must be a string');
    case 'exists':
      return typeof operand === 'boolean' ? [] : problem(at, 'must be true or false');
    case 'anything-but':
      return anythingButProblems(operand, at);
    case 'numeric':
      return numericProblems(operand, at);
    default:
      return problem(at, `is not an operator: use one of ${OPERATOR_LIST}`);
  }
}

function anythingButProblems(operand: unknown, path: string): EventPatternProblem[] {
  if (isPatternValue(operand)) return [];
  if (Array.isArray(operand)) {
    if (operand.length === 0) return problem(path, 'must list at least one value');
    return operand.flatMap((value, index) =>
      isPatternValue(value) ? [] : problem(itemPath(path, index), 'must be a string, number, boolean or null'),
    );
  }
  if (isJsonObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) return problem(path, `must hold exactly one operator (prefix), not ${keys.length}`);
    if (keys[0] !== 'prefix') {
      return problem(fieldPath(path, keys[0]), 'is not supported here: anything-but takes values or a prefix');
    }
    // An empty prefix would refuse every string (EventBridge refuses it too).
    const prefix = operand.prefix;
    return typeof prefix === 'string' && prefix !== ''
      ? []
      : problem(fieldPath(path, 'prefix'), 'must be a non-empty string');
  }
  return problem(path, 'must be a value, a list of values or { "prefix": string }');
}

const LOWER_BOUNDS: readonly NumericOperator[] = ['>', '>='];
const UPPER_BOUNDS: readonly NumericOperator[] = ['<', '<='];

function numericProblems(operand: unknown, path: string): EventPatternProblem[] {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    return problem(path, 'must be one comparison, such as [">=", 100], or a range, such as [">", 0, "<=", 5]');
  }
  const ranged = operand.length === 4;
  const problems: EventPatternProblem[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const allowed = !ranged ? NUMERIC_OPERATORS : index === 0 ? LOWER_BOUNDS : UPPER_BOUNDS;
    if (!allowed.includes(operator as NumericOperator)) {
      const role = !ranged ? '' : index === 0 ? ' (a range starts with its lower bound)' : ' (the upper bound)';
      problems.push({ path: itemPath(path, index), message: `must be one of ${allowed.join(', ')}${role}` });
    }
    const number: unknown = operand[index + 1];
    const numberProblem = numericOperandProblem(number);
    if (numberProblem) problems.push({ path: itemPath(path, index + 1), message: numberProblem });
  }
  if (problems.length > 0 || !ranged) return problems;
  const comparisons = [0, 2].map(
    (index) => [operand[index], decimalFromNumber(operand[index + 1] as number)!] as const,
  );
  return isSatisfiable(comparisons) ? [] : problem(path, 'must be a range some number lies in');
}

function numericOperandProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  // JSON parsing has already rounded a larger integer: comparing it "exactly" would be a lie.
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return 'must be at most 2^53 - 1 in magnitude when it is an integer (larger ones lose digits in JSON)';
  }
  return undefined;
}
