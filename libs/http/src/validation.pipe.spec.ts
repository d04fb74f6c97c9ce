import { DomainError } from '@app/errors';
import type { ValidationError } from '@nestjs/common';
import { IsArray, IsOptional } from 'class-validator';
import { ValidateEachItem } from './each-item.validator';
import { createValidationPipe, toFieldErrors } from './validation.pipe';

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

class ShortWords {
  @IsArray()
  @ValidateEachItem('areShortWords', (item) =>
    typeof item === 'string' && item.length <= 3 ? undefined : 'must be a word of at most 3 letters',
  )
  words!: unknown[];

  @IsOptional()
  @IsArray()
  @ValidateEachItem('areShortWords', () => undefined)
  others?: unknown[];
}

async function fieldErrorsOf(body: unknown) {
  const pipe = createValidationPipe();
  try {
    await pipe.transform(body, { type: 'body', metatype: ShortWords });
  } catch (error) {
    return (error as DomainError).errors;
  }
  return [];
}

describe('ValidateEachItem through the validation pipe', () => {
  it('names each item at fault with its index', async () => {
    expect(await fieldErrorsOf({ words: ['ok', 'too long', 'yes', 7] })).toEqual([
      { field: 'words[1]', message: 'words[1] must be a word of at most 3 letters' },
      { field: 'words[3]', message: 'words[3] must be a word of at most 3 letters' },
    ]);
  });

  it('accepts an array whose items are all fine', async () => {
    expect(await fieldErrorsOf({ words: ['a', 'bc'] })).toEqual([]);
  });

  it('leaves a value that is not an array to @IsArray', async () => {
    expect(await fieldErrorsOf({ words: 'abc' })).toEqual([{ field: 'words', message: 'words must be an array' }]);
  });
});
