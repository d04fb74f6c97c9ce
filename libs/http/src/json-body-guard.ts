/** Deeper JSON than any of our DTOs needs; deeper bodies would only exhaust the validator's stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * Checks a raw JSON body before it is parsed (body-parser's `verify` hook): no NUL characters
 * (PostgreSQL text cannot hold them) and no nesting deeper than MAX_JSON_DEPTH. Throws an error
 * the problem-details filter answers with 400.
 */
export function guardJsonBody(raw: Buffer): void {
  const text = raw.toString('utf8');
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

function bodyError(message: string): Error {
  return Object.assign(new Error(message), { status: 400, expose: true, type: 'entity.verify.failed' });
}
