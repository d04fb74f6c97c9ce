import type { ErrorKind } from './error-kind';

/** One kind of failure callers can tell apart by its code. */
export interface ErrorType<Code extends string = string> {
  /** Stable kebab-case slug (`insufficient-funds`); the problem `type` ends in it. */
  readonly code: Code;
  readonly kind: ErrorKind;
  /** The same for every error of this type; each error's detail says what happened this time. */
  readonly title: string;
}

/**
 * A feature's error types, keyed by code, each with its kind and title:
 * `defineErrors({ 'insufficient-funds': { kind: 'rule-violated', title: '...' } })`.
 */
export function defineErrors<const Definitions extends Record<string, Omit<ErrorType, 'code'>>>(
  definitions: Definitions,
): { readonly [Code in keyof Definitions & string]: ErrorType<Code> } {
  return Object.fromEntries(
    Object.entries(definitions).map(([code, definition]) => [code, { code, ...definition }]),
  ) as { [Code in keyof Definitions & string]: ErrorType<Code> };
}
