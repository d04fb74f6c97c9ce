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

/** A 400 `validation-failed` naming every field at fault; its detail joins their messages. */
export function validationFailed(errors: FieldError[]): DomainError {
  return new DomainError('validation-failed', errors.map((error) => error.message).join('; '), errors);
}
