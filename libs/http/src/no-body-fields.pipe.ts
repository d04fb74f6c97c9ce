import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

/**
 * The body of an action that takes none (`POST /webhooks/:id/test`): nothing, or `{}`. A field
 * sent is refused and named, as in every other body, rather than silently ignored.
 */
@Injectable()
export class NoBodyFieldsPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    const fields = typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (fields.length === 0 && typeof value === 'object' && !Array.isArray(value)) return undefined;
    const errors = fields.length
      ? fields.map((field) => ({ field, message: `${field} is not a known field` }))
      : [{ field: 'body', message: 'this action takes no body, or {}' }];
    throw new DomainError('validation-failed', errors.map((error) => error.message).join('; '), errors);
  }
}
