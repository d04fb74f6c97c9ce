import { COMMON_ERRORS, DomainError } from '@app/errors';
import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';

/**
 * A path id that is not a UUID names nothing that exists: 404, like an unknown UUID (Stripe
 * answers `resource_missing` for both), rather than a 400 that tells callers to fix the format.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!isUUID(value)) throw new DomainError(COMMON_ERRORS['not-found'], `No ${this.resource} ${value}`);
    return value.toLowerCase();
  }
}
