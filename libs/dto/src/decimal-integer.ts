import { Transform } from 'class-transformer';

const DECIMAL_INTEGER = /^(0|[1-9][0-9]{0,14})$/;

/**
 * Reads a query parameter as a plain decimal integer. `Number()` would also take `1e2`, `0x10`,
 * ` 5` and `5.0` and silently turn them into other spellings of a number (CONTRACT.md section 3
 * refuses them); anything but digits is left as the string it was, for `@IsInt()` to refuse.
 */
export const ToDecimalInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );
