import { validateTransactionRequest } from './transaction-request';

const valid = {
  accountId: '0b9c4c52-2f0c-4f7e-9d2a-7a9f6c1e2d3b',
  type: 'withdrawal',
  amount: '1050',
  currency: 'EUR',
};

describe('validateTransactionRequest', () => {
  it('fills the defaults of a valid body', () => {
    expect(validateTransactionRequest(valid)).toEqual({
      ...valid,
      status: 'completed',
      description: null,
      metadata: {},
    });
  });

  it.each([
    [{ ...valid, accountId: 'nope' }, 'accountId'],
    [{ ...valid, type: 'gift' }, 'type'],
    [{ ...valid, amount: 1050 }, 'amount'],
    [{ ...valid, amount: '0' }, 'amount'],
    [{ ...valid, amount: '0105' }, 'amount'],
    [{ ...valid, amount: '1234567890123456789' }, 'amount'],
    [{ ...valid, currency: 'eur' }, 'currency'],
    [{ ...valid, status: 'failed' }, 'status'],
    [{ ...valid, description: 'x'.repeat(501) }, 'description'],
    [{ ...valid, metadata: { a: 1 } }, 'metadata'],
    [{ ...valid, surprise: true }, 'surprise'],
  ])('refuses %j naming %s', (body, field) => {
    const errors = validateTransactionRequest(body);
    expect(Array.isArray(errors) && errors.map((error) => error.field)).toEqual([field]);
  });

  it('refuses a body that is not an object', () => {
    expect(validateTransactionRequest([valid])).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });
});
