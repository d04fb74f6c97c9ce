import fc from 'fast-check';
import { AffixSet } from './affix-set';

describe('AffixSet', () => {
  // Few affixes are tested one by one, many go into a trie: both must say what startsWith says.
  it.each([
    ['a few', 1, 8],
    ['many', 9, 40],
  ])('with %s affixes, agrees with testing each of them', (_description, minLength, maxLength) => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\ud83d\ude00'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(text, { minLength, maxLength }), fc.array(text, { maxLength: 10 }), (affixes, values) => {
        const prefixes = new AffixSet(affixes, 'start');
        const suffixes = new AffixSet(affixes, 'end');
        for (const value of values) {
          expect(prefixes.matches(value)).toBe(affixes.some((affix) => value.startsWith(affix)));
          expect(suffixes.matches(value)).toBe(affixes.some((affix) => value.endsWith(affix)));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
