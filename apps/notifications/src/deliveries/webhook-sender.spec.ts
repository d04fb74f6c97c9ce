import { storable } from './webhook-sender';

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
