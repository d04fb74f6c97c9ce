import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches, MaxLength } from 'class-validator';

// Offsets up to ±15:59: PostgreSQL refuses larger ones (no zone has one), and a time reaches it as text.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-](0\d|1[0-5]):[0-5]\d)$/;

/** Room for nanoseconds and an offset (35 characters); longer fractions say nothing more. */
export const RFC3339_MAX_LENGTH = 40;

/** A full RFC 3339 date-time with its offset (`2026-01-02T03:04:05Z`), not just a date. */
export const IsRfc3339 = () =>
  applyDecorators(
    MaxLength(RFC3339_MAX_LENGTH, { message: `$property must be at most ${RFC3339_MAX_LENGTH} characters` }),
    Matches(RFC3339, { message: '$property must be an RFC 3339 time, e.g. 2026-01-02T03:04:05Z' }),
    IsISO8601({ strict: true }, { message: '$property must be an RFC 3339 time, e.g. 2026-01-02T03:04:05Z' }),
  );
