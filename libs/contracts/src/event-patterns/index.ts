export {
  EVENT_PATTERN_LIMITS,
  EVENT_PATTERN_OPERATORS,
  NUMERIC_OPERATORS,
  type EventPattern,
  type EventPatternAlternative,
  type EventPatternOperator,
  type EventPatternValue,
  type LowerBoundOperator,
  type NumericOperator,
  type UpperBoundOperator,
} from './event-pattern';
export { eventPatternProblems, type EventPatternProblem } from './event-pattern-problems';
export { compileEventPattern, InvalidEventPatternError, type EventMatcher } from './compile-event-pattern';
