/**
 * AMQP topic matching, as RabbitMQ does it: words separated by dots, `*` matches exactly one
 * word, `#` matches zero or more. Used wherever a routing key is filtered outside the broker
 * (handler dispatch, webhook `eventTypes`).
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: string[], p: number, words: string[], w: number): boolean {
  if (p === pattern.length) return w === words.length;
  const head = pattern[p];
  if (head === '#') {
    for (let skip = w; skip <= words.length; skip++) {
      if (matchWords(pattern, p + 1, words, skip)) return true;
    }
    return false;
  }
  if (w === words.length) return false;
  return (head === '*' || head === words[w]) && matchWords(pattern, p + 1, words, w + 1);
}

const TOPIC_PATTERN = /^(\*|#|[a-z0-9_-]+)(\.(\*|#|[a-z0-9_-]+))*$/;

/** Whether `pattern` is a well-formed topic pattern (lower-case words, `*` and `#`). */
export const isTopicPattern = (pattern: string): boolean => TOPIC_PATTERN.test(pattern);
