import type { ValidationError } from '@nestjs/common';
import { toFieldErrors } from './validation.pipe';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return { property, constraints, children };
}

describe('toFieldErrors', () => {
  it('flattens nested errors into dotted fields, one entry per broken constraint', () => {
    const errors = [
      error('amount', { isNumberString: 'amount must be digits', maxLength: 'amount is too long' }),
      error('metadata', undefined, [error('note', { maxLength: 'note is too long' })]),
      error('colour', { whitelistValidation: 'property colour should not exist' }),
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'amount', message: 'amount must be digits' },
      { field: 'amount', message: 'amount is too long' },
      { field: 'metadata.note', message: 'note is too long' },
      { field: 'colour', message: 'colour is not a known field' },
    ]);
  });
});
