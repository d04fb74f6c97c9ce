import type { ErrorType } from './error-type';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What services throw instead of HTTP exceptions: an error type (code, kind, title) and a
 * human-readable detail. The problem-details filter in @app/http turns it into the HTTP answer.
 */
export class DomainError extends Error {
  readonly code: string;

  constructor(
    readonly type: ErrorType,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'DomainError';
    this.code = type.code;
  }
}
