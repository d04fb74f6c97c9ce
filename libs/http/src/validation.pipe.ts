import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Keys JSON.parse keeps as own fields but class-transformer skips: the whitelist never sees them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Dotted paths of every reserved key in a parsed JSON body, at any depth. */
export function reservedKeyPaths(value: unknown, parent = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const path = parent ? `${parent}.${key}` : key;
    return RESERVED_KEYS.has(key) ? [path] : reservedKeyPaths((value as Record<string, unknown>)[key], path);
  });
}

class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const fieldErrors = reservedKeyPaths(value).map((field) => ({ field, message: `${field} is not a known field` }));
      if (fieldErrors.length > 0) {
        throw new DomainError('validation-failed', fieldErrors.map((e) => e.message).join('; '), fieldErrors);
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * The global pipe: transforms to DTO classes, refuses unknown fields (naming them, also
 * `__proto__` and `constructor`) instead of silently dropping them, and reports every failure as
 * a 400 `validation-failed` problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
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
