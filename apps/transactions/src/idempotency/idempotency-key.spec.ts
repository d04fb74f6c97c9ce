import { DomainError } from '@app/errors';
import { canonicalJson, idempotencyKeyOf } from './idempotency-key';

describe('idempotency keys', () => {
  it('hash bodies equal as parsed JSON the same, whatever their key order', () => {
    const a = idempotencyKeyOf('k', 's', 'POST', '/transactions', { amount: '1', meta: { b: 'x', a: 'y' } });
    const b = idempotencyKeyOf('k', 's', 'POST', '/transactions', { meta: { a: 'y', b: 'x' }, amount: '1' });
    expect(a?.requestHash).toBe(b?.requestHash);
  });

  it('hash different bodies differently', () => {
    const a = idempotencyKeyOf('k', 's', 'POST', '/transactions', { amount: '1' });
    const b = idempotencyKeyOf('k', 's', 'POST', '/transactions', { amount: '2' });
    expect(a?.requestHash).not.toBe(b?.requestHash);
  });

  it('are absent without the header and refused when empty or over 255 characters', () => {
    expect(idempotencyKeyOf(undefined, 's', 'POST', '/', {})).toBeUndefined();
    expect(idempotencyKeyOf('x'.repeat(255), 's', 'POST', '/', {})?.key).toHaveLength(255);
    expect(() => idempotencyKeyOf('x'.repeat(256), 's', 'POST', '/', {})).toThrow(DomainError);
    expect(() => idempotencyKeyOf('', 's', 'POST', '/', {})).toThrow(DomainError);
  });

  it('canonicalises nested arrays and objects', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
