import { randomBytes, randomUUID } from 'node:crypto';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Cursors a list must answer with 400 `invalid-cursor`, never a 5xx: keyset positions PostgreSQL
 * would refuse (30 February, year 0, a bigint overflow), written the way cursors were before they
 * were signed and with a made-up tag, and `issued` (a genuine nextCursor) with its position changed
 * but its tag kept.
 */
export function forgedCursors(issued: string): [string, string][] {
  const id = randomUUID();
  const positions = [
    { createdAt: '2026-02-30T00:00:00.000Z', id },
    { createdAt: '0000-01-01T00:00:00.000Z', id },
    { createdAt: '2026-01-01T00:00:00.000Z', id: 'x'.repeat(36) },
    { sequence: '99999999999999999999' },
    { sequence: '1' },
  ];
  const [payload, tag] = issued.split('.');
  const issuedPosition = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, string>;
  const altered = Object.fromEntries(
    Object.entries(issuedPosition).map(([key, value]) => [
      key,
      key === 'id' ? randomUUID() : value.replace(/\d$/, (d) => String((Number(d) + 1) % 10)),
    ]),
  );
  return [
    ...positions.map((position): [string, string] => [`unsigned ${JSON.stringify(position)}`, base64url(position)]),
    ...positions.map((position): [string, string] => [
      `badly signed ${JSON.stringify(position)}`,
      `${base64url(position)}.${randomBytes(16).toString('base64url')}`,
    ]),
    [`altered ${JSON.stringify(altered)}`, `${base64url(altered)}.${tag}`],
    ['truncated', issued.slice(0, -2)],
  ];
}
