import { FieldError, validationFailed } from '@app/errors';
import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { hasLoneSurrogate } from './lone-surrogates';
import { PART_PROBLEMS_CONTEXT, partFieldErrors, PartProblems } from './part-problems.validator';

/**
 * Flattens class-validator's tree into `{field, message}` pairs with dotted paths
 * (`metadata.note`, `items.0.amount`), one per broken constraint; a ValidateParts rule gives one
 * per part at fault (`eventTypes[3]`, `filter.data.amount[0].numeric`).
 */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).flatMap(([constraint, message]) => {
      const problemsOf = error.contexts?.[constraint]?.[PART_PROBLEMS_CONTEXT] as PartProblems | undefined;
      const parts = problemsOf ? partFieldErrors(field, error.value, problemsOf) : [];
      if (parts.length > 0) return parts;
      return [{ field, message: constraint === 'whitelistValidation' ? `${field} is not a known field` : message }];
    });
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** Keys JSON.parse keeps as own fields but class-transformer skips: the whitelist never sees them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What no DTO rule can see in a parsed JSON body, at any depth: reserved keys, and keys or
 * strings holding a lone surrogate (a 500 from the database otherwise, or text changed silently).
 */
export function bodyProblems(value: unknown, parent = ''): FieldError[] {
  if (typeof value === 'string') {
    return hasLoneSurrogate(value)
      ? [{ field: parent, message: `${parent} must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)` }]
      : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const path = parent ? `${parent}.${key}` : key;
    if (RESERVED_KEYS.has(key)) return [{ field: path, message: `${path} is not a known field` }];
    if (hasLoneSurrogate(key)) {
      return [{ field: path, message: 'field names must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)' }];
    }
    return bodyProblems((value as Record<string, unknown>)[key], path);
  });
}

/**
 * A parameter given twice (`?limit=5&limit=6`) reaches us as an array: which one was meant is a
 * guess, so it is refused, named, before any DTO reads it (CONTRACT.md section 3).
 */
export function repeatedQueryParameters(query: unknown): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  return Object.entries(query)
    .filter(([, value]) => Array.isArray(value))
    .map(([name]) => ({ field: name, message: `${name} must be given at most once` }));
}

class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fieldErrors =
      metadata.type === 'body' ? bodyProblems(value) : metadata.type === 'query' ? repeatedQueryParameters(value) : [];
    if (fieldErrors.length > 0) {
      throw validationFailed(fieldErrors);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The global pipe: transforms to DTO classes, refuses unknown fields (naming them, also
 * `__proto__` and `constructor`) instead of silently dropping them, lone surrogates and repeated
 * query parameters, and reports every failure as a 400 `validation-failed` problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    // The value stays on the error for toFieldErrors to name the items at fault; it is never
    // written into the answer.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationFailed(toFieldErrors(errors)),
  });
}
