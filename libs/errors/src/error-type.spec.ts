import { DomainError } from './domain-error';
import { defineErrors } from './error-type';

describe('defineErrors', () => {
  const errors = defineErrors({
    'insufficient-funds': { kind: 'rule-violated', title: 'The balance would go below zero' },
    'not-found': { kind: 'not-found', title: 'Not found' },
  });

  it('gives each type its code, kind and title', () => {
    expect(errors['insufficient-funds']).toEqual({
      code: 'insufficient-funds',
      kind: 'rule-violated',
      title: 'The balance would go below zero',
    });
    expect(errors['not-found'].code).toBe('not-found');
  });

  it('refuses a kind the HTTP layer has no status for (checked by npm run typecheck)', () => {
    // @ts-expect-error 'teapot' is no ErrorKind
    const teapot = defineErrors({ brewing: { kind: 'teapot', title: 'I am a teapot' } });
    expect(teapot.brewing.code).toBe('brewing');
  });

  it('carries the type and its code on the error it is thrown with', () => {
    const error = new DomainError(errors['insufficient-funds'], 'Account a1 has 0 EUR; this needs 1', [
      { field: 'amount', message: 'too much' },
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error.type).toBe(errors['insufficient-funds']);
    expect(error.code).toBe('insufficient-funds');
    expect(error.message).toBe('Account a1 has 0 EUR; this needs 1');
    expect(error.errors).toEqual([{ field: 'amount', message: 'too much' }]);
  });
});
