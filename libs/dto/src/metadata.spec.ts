import { metadataProblem } from './metadata';

describe('metadataProblem', () => {
  it('accepts up to 20 string keys with values up to 500 characters', () => {
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(500)]));
    expect(metadataProblem(twenty)).toBeUndefined();
    expect(metadataProblem({})).toBeUndefined();
  });

  it.each([
    [[], 'must be an object'],
    ['text', 'must be an object'],
    [null, 'must be an object'],
    [Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])), 'at most 20 keys'],
    [{ a: 1 }, 'must be a string'],
    [{ a: { nested: 'x' } }, 'must be a string'],
    [{ a: 'v'.repeat(501) }, 'at most 500 characters'],
    [{ ['k'.repeat(41)]: 'v' }, 'keys must be'],
  ])('refuses %j', (value, reason) => {
    expect(metadataProblem(value)).toContain(reason);
  });
});
