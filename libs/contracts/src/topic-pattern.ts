/** Contract limits on one topic pattern (CONTRACT.md section 9). */
export const TOPIC_PATTERN_MAX_LENGTH = 255;

/**
 * Words of a routing key or pattern as RabbitMQ splits them: on every dot, an empty string being
 * no words at all (so `""` is matched by `#` alone, and `*` needs exactly one word).
 */
const wordsOf = (text: string): string[] => (text === '' ? [] : text.split('.'));

/**
 * AMQP topic matching, as RabbitMQ does it: words separated by dots, `*` matches exactly one
 * word, `#` matches zero or more. Used wherever a routing key is filtered outside the broker
 * (handler dispatch, webhook `eventTypes`).
 *
 * A walk of the pattern as a nondeterministic automaton: state `i` means "the first `i` pattern
 * words have matched the key so far", and all states live at once in one bitmap. That costs
 * O(pattern words x key words) whatever the input, with no recursion: a backtracking matcher
 * took seconds, or overflowed the stack, on a pattern such as `#.#.#...#.zz`, and since webhook
 * patterns come from API clients one endpoint could stop every delivery.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  // `#.#` matches what `#` does: collapsing the run keeps the automaton small for hostile input.
  const patternWords = wordsOf(pattern).filter((word, i, all) => !(word === '#' && all[i - 1] === '#'));
  const accepting = patternWords.length;
  let states = new Uint8Array(accepting + 1);
  states[0] = 1;
  followHashes(patternWords, states);
  for (const word of wordsOf(routingKey)) {
    const next = new Uint8Array(accepting + 1);
    let alive = false;
    for (let i = 0; i < accepting; i++) {
      if (states[i] === 0) continue;
      const expected = patternWords[i];
      if (expected === '#') {
        next[i] = 1;
        alive = true;
      } else if (expected === '*' || expected === word) {
        next[i + 1] = 1;
        alive = true;
      }
    }
    if (!alive) return false;
    followHashes(patternWords, next);
    states = next;
  }
  return states[accepting] === 1;
}

/** A `#` may match zero words: whoever stands before it stands after it too (in place, left to right). */
function followHashes(patternWords: readonly string[], states: Uint8Array): void {
  for (let i = 0; i < patternWords.length; i++) {
    if (states[i] === 1 && patternWords[i] === '#') states[i + 1] = 1;
  }
}

/**
 * The form of a topic pattern (its length aside). Alternatives start with different characters
 * and words are dot-separated: linear, no backtracking.
 */
export const TOPIC_PATTERN = /^(\*|#|[a-z0-9_-]+)(\.(\*|#|[a-z0-9_-]+))*$/;

/**
 * Whether `pattern` is a topic pattern the contract accepts: at most 255 characters of
 * dot-separated words, each lower-case `[a-z0-9_-]`, `*` or `#`.
 */
export const isTopicPattern = (pattern: string): boolean =>
  pattern.length <= TOPIC_PATTERN_MAX_LENGTH && TOPIC_PATTERN.test(pattern);
