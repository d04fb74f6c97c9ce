import type { ErrorCode } from './error-catalogue';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What services throw instead of HTTP exceptions: a stable code from the catalogue and a
 * human-readable detail. The problem-details filter turns it into the HTTP answer.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}
