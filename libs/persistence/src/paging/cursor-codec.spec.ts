import { DomainError } from '@app/errors';
import { randomBytes } from 'node:crypto';
import { CursorCodec } from './cursor-codec';

const id = '7f1f3c5e-3f57-4c48-9d8f-9c0d1f6a2b10';
const codec = new CursorCodec(randomBytes(32));

/** `position` written as-is and signed: only the checks after the signature stand between it and a query. */
const signed = (position: unknown) => codec.encode(position as Record<string, string>);

const refused = (cursor: string, keys: ('createdAt' | 'id' | 'sequence')[]) => {
  try {
    codec.decode(cursor, keys);
  } catch (error) {
    return error instanceof DomainError && error.code === 'invalid-cursor';
  }
  return false;
};

describe('page cursors', () => {
  it('round-trip a keyset position', () => {
    const cursor = codec.encode({ createdAt: '2026-01-02T03:04:05.678Z', id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor, ['createdAt', 'id'])).toEqual({ createdAt: '2026-01-02T03:04:05.678Z', id });
    expect(codec.decode(codec.encode({ createdAt: '2026-01-02T03:04:05.678912Z', id }), ['createdAt', 'id'])).toEqual({
      createdAt: '2026-01-02T03:04:05.678912Z',
      id,
    });
    expect(codec.decode(codec.encode({ sequence: '42' }), ['sequence'])).toEqual({ sequence: '42' });
  });

  it('refuses a cursor signed with another key, or altered after signing', () => {
    const other = new CursorCodec(randomBytes(32)).encode({ sequence: '42' });
    expect(refused(other, ['sequence'])).toBe(true);
    const genuine = codec.encode({ sequence: '42' });
    const [, tag] = genuine.split('.');
    const altered = `${Buffer.from(JSON.stringify({ sequence: '43' })).toString('base64url')}.${tag}`;
    expect(refused(altered, ['sequence'])).toBe(true);
    expect(refused(Buffer.from(JSON.stringify({ sequence: '42' })).toString('base64url'), ['sequence'])).toBe(true);
    expect(refused(`${genuine}.x`, ['sequence'])).toBe(true);
    expect(refused(`${genuine.slice(0, -1)}`, ['sequence'])).toBe(true);
  });

  it.each([
    'not-base64-json',
    '',
    '.',
    signed({ other: 'x' }),
    signed({ createdAt: 'x', id: 'y' }),
    signed({ createdAt: '2026-01-01T00:00:00Z', id }),
    signed({ createdAt: '2026-13-45T00:00:00.000Z', id }),
    signed({ createdAt: '2026-02-30T00:00:00.000Z', id }),
    signed({ createdAt: '2026-01-01T24:00:00.000Z', id }),
    signed({ createdAt: '0000-01-01T00:00:00.000Z', id }),
    signed({ createdAt: '2026-01-01T00:00:00.000Z', id, extra: '1' }),
    signed({ createdAt: '2026-01-01T00:00:00.000Z', id: id.toUpperCase() }),
    signed({ sequence: '1; DROP TABLE' }),
    signed({ sequence: '0' }),
    signed({ sequence: '1'.repeat(19) }),
    signed([1]),
    signed(null),
    signed('x'),
  ])('refuses %j with 400 invalid-cursor', (cursor) => {
    expect(refused(cursor, ['createdAt', 'id'])).toBe(true);
    expect(refused(cursor, ['sequence'])).toBe(true);
  });
});
