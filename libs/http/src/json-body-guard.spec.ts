import { guardJsonBody, MAX_JSON_DEPTH } from './json-body-guard';

const guard = (text: string) => () => guardJsonBody(Buffer.from(text));

describe('guardJsonBody', () => {
  it('accepts ordinary bodies, brackets and escapes inside strings included', () => {
    expect(guard('{"name":"a [b] {c} \\" d","n":[1,[2,[3]]]}')).not.toThrow();
    expect(guard(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).not.toThrow();
  });

  it('refuses NUL characters, escaped or raw', () => {
    expect(guard('{"name":"a\\u0000b"}')).toThrow('NUL');
    expect(guard('{"name":"a\u0000b"}')).toThrow('NUL');
  });

  it('refuses bodies nested too deep', () => {
    expect(guard(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toThrow('nested deeper');
  });
});
