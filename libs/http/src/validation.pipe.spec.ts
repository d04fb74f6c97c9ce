import { DomainError } from '@app/errors';
import type { ValidationError } from '@nestjs/common';
import { IsArray, IsOptional } from 'class-validator';
import { ValidateEachItem } from './each-item.validator';
import { PartProblem, ValidateParts } from './part-problems.validator';
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

/** Every key of the object must hold a number: a problem at the key's path, or at the field. */
const numbersOnly = (value: unknown): PartProblem[] =>
  typeof value !== 'object' || value === null || Array.isArray(value)
    ? [{ path: '', message: 'must be an object' }]
    : Object.entries(value).flatMap(([key, number]) =>
        typeof number === 'number'
          ? []
          : [{ path: key.includes('.') ? `[${JSON.stringify(key)}]` : key, message: 'must be a number' }],
      );

class Scores {
  @ValidateParts('areNumbers', numbersOnly)
  scores!: Record<string, number>;
}

async function fieldErrorsOf(body: unknown, metatype: new () => object = ShortWords) {
  const pipe = createValidationPipe();
  try {
    await pipe.transform(body, { type: 'body', metatype });
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

describe('ValidateParts through the validation pipe', () => {
  it('names each part at fault by its path under the field', async () => {
    expect(await fieldErrorsOf({ scores: { alice: 3, bob: 'x', 'c.d': null } }, Scores)).toEqual([
      { field: 'scores.bob', message: 'scores.bob must be a number' },
      { field: 'scores["c.d"]', message: 'scores["c.d"] must be a number' },
    ]);
  });

  it('names the field itself for a problem at the empty path', async () => {
    expect(await fieldErrorsOf({ scores: [1] }, Scores)).toEqual([
      { field: 'scores', message: 'scores must be an object' },
    ]);
  });

  it('accepts a value with no problem', async () => {
    expect(await fieldErrorsOf({ scores: { alice: 3 } }, Scores)).toEqual([]);
  });
});
