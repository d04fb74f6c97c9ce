/**
 * Halves of a UTF-16 pair on their own: JSON allows them (`"\ud800"`), and so does a string cut
 * short, but PostgreSQL's json refuses them and its text types cannot hold them as written.
 */
export const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Not global: test() on a global pattern carries its lastIndex from one call to the next.
const ANY_LONE_SURROGATE = new RegExp(LONE_SURROGATES.source);

export function hasLoneSurrogate(text: string): boolean {
  return ANY_LONE_SURROGATE.test(text);
}
