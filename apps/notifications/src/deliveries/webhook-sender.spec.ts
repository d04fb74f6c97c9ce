import { excerptOf, RESPONSE_EXCERPT_BYTES, storable } from './webhook-sender';

describe('storable', () => {
  it('drops NUL characters, which PostgreSQL text cannot hold', () => {
    expect(storable('a\u0000b\u0000')).toBe('ab');
  });

  it('replaces a surrogate half left by cutting a string short, and keeps whole pairs', () => {
    const emoji = '😀';
    expect(storable(`ok ${emoji}`)).toBe(`ok ${emoji}`);
    expect(storable(`cut ${emoji.slice(0, 1)}`)).toBe('cut \uFFFD');
    expect(storable(`${emoji.slice(1)} start`)).toBe('\uFFFD start');
  });
});

describe('excerptOf', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  it('keeps a short answer whole, and nothing of an empty one', () => {
    expect(excerptOf(Buffer.from('{"ok":true}'))).toBe('{"ok":true}');
    expect(excerptOf(Buffer.alloc(0))).toBeNull();
  });

  it('cuts a long answer between characters, never past the limit', () => {
    // 4095 bytes, then a 3-byte euro sign across the limit.
    const answer = Buffer.from(`${'a'.repeat(RESPONSE_EXCERPT_BYTES - 1)}€ and more`, 'utf8');
    const excerpt = excerptOf(answer) as string;
    expect(excerpt).toBe('a'.repeat(RESPONSE_EXCERPT_BYTES - 1));
    expect(bytes(excerpt)).toBeLessThanOrEqual(RESPONSE_EXCERPT_BYTES);
  });

  it('keeps a binary answer within the limit, though each invalid byte becomes a 3-byte U+FFFD', () => {
    const excerpt = excerptOf(Buffer.alloc(RESPONSE_EXCERPT_BYTES * 2, 0xff)) as string;
    expect(bytes(excerpt)).toBeLessThanOrEqual(RESPONSE_EXCERPT_BYTES);
    expect(excerpt.length).toBeGreaterThan(1_000);
  });
});
