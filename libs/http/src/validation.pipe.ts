import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';

/**
 * Flattens class-validator's tree into `{field, message}` pairs with dotted paths
 * (`metadata.note`, `items.0.amount`), one per broken constraint.
 */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * The global pipe: transforms to DTO classes, refuses unknown fields (naming them) instead of
 * silently dropping them, and reports every failure as a 400 `validation-failed` problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      return new DomainError('validation-failed', fieldErrors.map((e) => e.message).join('; '), fieldErrors);
    },
  });
}
