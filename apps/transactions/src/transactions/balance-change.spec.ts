import { DomainError } from '@app/errors';
import { balanceChangeOf } from './balance-change';
import { TRANSACTION_ERRORS } from './transactions.errors';

const account = { id: 'a1', currency: 'EUR', balance: '1000', balance_version: 7 };

describe('balance changes', () => {
  it('work out the new balance and the next version from the locked row', () => {
    expect(balanceChangeOf(account, -300n)).toEqual({
      accountId: 'a1',
      currency: 'EUR',
      delta: -300n,
      balance: 700n,
      version: 8,
    });
  });

  it('may take the balance to zero but not below', () => {
    expect(balanceChangeOf(account, -1000n).balance).toBe(0n);
    expect(() => balanceChangeOf(account, -1001n)).toThrow(
      new DomainError(TRANSACTION_ERRORS['insufficient-funds'], 'Account a1 has 1000 EUR; this needs 1001'),
    );
  });

  it('refuse a balance beyond the bigint column', () => {
    const full = { ...account, balance: '9223372036854775000' };
    expect(balanceChangeOf(full, 807n).balance).toBe(9_223_372_036_854_775_807n);
    expect(() => balanceChangeOf(full, 808n)).toThrow(DomainError);
  });
});
