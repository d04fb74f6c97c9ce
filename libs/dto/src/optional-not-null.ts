import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but `null` is not a value for it: it is validated like any other
 * value and refused with a 400. (`@IsOptional()` lets null through, and a NOT NULL column then
 * answered it with a 500.) Use `@IsOptional()` only where null means something.
 */
export const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);
