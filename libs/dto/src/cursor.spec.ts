import { DomainError } from '@app/http';
import { decodeCursor, encodeCursor } from './cursor';

describe('page cursors', () => {
  it('round-trip a keyset position', () => {
    const id = '7f1f3c5e-3f57-4c48-9d8f-9c0d1f6a2b10';
    const cursor = encodeCursor({ createdAt: '2026-01-02T03:04:05.678Z', id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['createdAt', 'id'])).toEqual({ createdAt: '2026-01-02T03:04:05.678Z', id });
    expect(decodeCursor(encodeCursor({ sequence: '42' }), ['sequence'])).toEqual({ sequence: '42' });
  });

  it.each([
    'not-base64-json',
    encodeCursor({ other: 'x' }),
    '',
    encodeCursor({ createdAt: 'x', id: 'y' }),
    encodeCursor({ createdAt: '2026-01-01T00:00:00Z', id: 'x' }),
    encodeCursor({ createdAt: '2026-13-45T00:00:00.000Z', id: '7f1f3c5e-3f57-4c48-9d8f-9c0d1f6a2b10' }),
    encodeCursor({ sequence: '1; DROP TABLE' }),
  ])('refuses %j with a 400 problem', (cursor) => {
    expect(() => decodeCursor(cursor, ['createdAt', 'id'])).toThrow(DomainError);
    expect(() => decodeCursor(cursor, ['sequence'])).toThrow(DomainError);
  });
});
