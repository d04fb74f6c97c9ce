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

  it('refuses bytes that are not UTF-8, and accepts those that are', () => {
    const body = (bytes: number[]) => Buffer.concat([Buffer.from('{"d":"'), Buffer.from(bytes), Buffer.from('"}')]);
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      expect(() => guardJsonBody(body(bytes))).toThrow('not valid UTF-8');
    }
    expect(() => guardJsonBody(body([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]))).not.toThrow();
  });

  it('refuses bodies nested too deep', () => {
    expect(guard(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toThrow('nested deeper');
  });
});
