import { DomainError } from '@app/errors';
import { createValidationPipe } from '@app/http';
import { IsEventPattern } from './endpoint-fields';

class FilteredDto {
  @IsEventPattern({ description: 'an event pattern' })
  filter?: Record<string, unknown>;
}

/** The `errors` of the 400 the global pipe answers `body` with ([] when it passes). */
async function fieldErrorsOf(body: unknown) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: FilteredDto });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe('validation-failed');
    return error.errors;
  }
  return [];
}

describe('IsEventPattern through the validation pipe', () => {
  it('accepts the contract example, and no filter at all', async () => {
    const filter = {
      type: [{ prefix: 'transaction.' }],
      data: { currency: ['EUR'], amount: [{ numeric: ['>=', 100000] }] },
    };
    expect(await fieldErrorsOf({ filter })).toEqual([]);
    expect(await fieldErrorsOf({})).toEqual([]);
  });

  it('keeps the pattern as sent for the service', async () => {
    const filter = { data: { metadata: { 'a.b': ['x'] }, amount: [{ numeric: ['>', 0, '<=', 5] }, null] } };
    const dto = (await createValidationPipe().transform(
      { filter },
      { type: 'body', metatype: FilteredDto },
    )) as FilteredDto;
    expect(dto.filter).toEqual(filter);
  });

  it('names each part at fault under filter', async () => {
    const filter = {
      type: [],
      data: { amount: [{ numeric: ['>=', 'x'] }], currency: 'EUR', metadata: { 'a.b': [{ regex: '.*' }] } },
    };
    expect(await fieldErrorsOf({ filter })).toEqual([
      { field: 'filter.type', message: 'filter.type must hold at least one alternative' },
      { field: 'filter.data.amount[0].numeric[1]', message: 'filter.data.amount[0].numeric[1] must be a number' },
      {
        field: 'filter.data.currency',
        message: 'filter.data.currency must be a list of alternatives, such as ["EUR"], or an object of nested fields',
      },
      {
        field: 'filter.data.metadata["a.b"][0].regex',
        message:
          'filter.data.metadata["a.b"][0].regex is not an operator: use one of prefix, suffix, equals-ignore-case, anything-but, exists, numeric',
      },
    ]);
  });

  it('names the numeric comparison of an empty range', async () => {
    expect(await fieldErrorsOf({ filter: { data: { amount: [{ numeric: ['>', 5, '<', 1] }] } } })).toEqual([
      {
        field: 'filter.data.amount[0].numeric',
        message: 'filter.data.amount[0].numeric must be a range some number lies in',
      },
    ]);
  });

  it.each([
    ['null', null],
    ['a list', [{ type: ['x'] }]],
    ['a string', 'type=x'],
  ])('refuses %s like any other field', async (_description, filter) => {
    expect(await fieldErrorsOf({ filter })).toEqual([
      {
        field: 'filter',
        message: 'filter must be an object of envelope fields, such as { "type": ["transaction.created"] }',
      },
    ]);
  });

  it('refuses an empty pattern', async () => {
    expect(await fieldErrorsOf({ filter: {} })).toEqual([
      { field: 'filter', message: 'filter must name at least one field' },
    ]);
  });

  it('refuses a pattern over 4 KiB', async () => {
    expect(await fieldErrorsOf({ filter: { type: ['a'.repeat(4096)] } })).toEqual([
      { field: 'filter', message: 'filter must be at most 4096 bytes as JSON' },
    ]);
  });
});
