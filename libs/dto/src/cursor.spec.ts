import { DomainError } from '@app/http';
import { decodeCursor, encodeCursor } from './cursor';

describe('page cursors', () => {
  it('round-trip a keyset position', () => {
    const cursor = encodeCursor({ createdAt: '2026-01-02T03:04:05.678Z', id: 'a' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['createdAt', 'id'])).toEqual({ createdAt: '2026-01-02T03:04:05.678Z', id: 'a' });
  });

  it.each(['not-base64-json', encodeCursor({ other: 'x' }), ''])('refuses %j with a 400 problem', (cursor) => {
    expect(() => decodeCursor(cursor, ['id'])).toThrow(DomainError);
  });
});
