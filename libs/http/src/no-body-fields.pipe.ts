import { validationFailed } from '@app/errors';
import { Injectable, PipeTransform } from '@nestjs/common';

/**
 * The body of an action that takes none (`POST /webhooks/:id/test`): nothing, or `{}`. A field
 * sent is refused and named, as in every other body, rather than silently ignored.
 */
@Injectable()
export class NoBodyFieldsPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw validationFailed([{ field: 'body', message: 'this action takes no body, or {}' }]);
    }
    const fields = Object.keys(value);
    if (fields.length === 0) return undefined;
    throw validationFailed(fields.map((field) => ({ field, message: `${field} is not a known field` })));
  }
}
