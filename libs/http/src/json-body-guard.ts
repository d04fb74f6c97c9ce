/** Deeper JSON than any of our DTOs needs; deeper bodies would only exhaust the validator's stack. */
export const MAX_JSON_DEPTH = 32;

// Fatal: body-parser's own decoding turns invalid bytes into U+FFFD, silently changing the text.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a raw JSON body before it is parsed (body-parser's `verify` hook): valid UTF-8 (JSON's
 * only encoding, RFC 8259 section 8.1), no NUL characters (PostgreSQL text cannot hold them) and
 * no nesting deeper than MAX_JSON_DEPTH. Throws an error the problem-details filter answers with 400.
 */
export function guardJsonBody(raw: Buffer): void {
  const text = decodeUtf8(raw);
  if (text.includes('\\u0000') || text.includes('\u0000')) {
    throw bodyError('strings must not contain NUL characters (\\u0000)');
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > MAX_JSON_DEPTH) throw bodyError(`the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (char === '}' || char === ']') depth--;
  }
}

function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw bodyError('the body is not valid UTF-8');
  }
}

function bodyError(message: string): Error {
  return Object.assign(new Error(message), { status: 400, expose: true, type: 'entity.verify.failed' });
}
