import { DomainError, FieldError } from './domain-error';
import { defineErrors } from './error-type';

/** The errors every app and lib may answer with; a feature's own errors live beside it. */
export const COMMON_ERRORS = defineErrors({
  'validation-failed': { kind: 'invalid', title: 'The request is not valid' },
  'not-found': { kind: 'not-found', title: 'Not found' },
  conflict: { kind: 'conflict', title: 'Conflict' },
  'business-rule-violated': { kind: 'rule-violated', title: 'The request breaks a business rule' },
});

/** A 400 `validation-failed` naming every field at fault; its detail joins their messages. */
export function validationFailed(errors: FieldError[]): DomainError {
  return new DomainError(COMMON_ERRORS['validation-failed'], errors.map((error) => error.message).join('; '), errors);
}
