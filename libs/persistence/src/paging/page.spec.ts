import { toPage } from './page';

describe('toPage', () => {
  const rows = [1, 2, 3].map((n) => ({ n }));

  it('returns a cursor when a row beyond the limit was fetched', () => {
    expect(
      toPage(
        rows,
        2,
        (r) => r.n,
        (r) => `c${r.n}`,
      ),
    ).toEqual({ data: [1, 2], nextCursor: 'c2' });
  });

  it('returns null as the cursor of the last page', () => {
    expect(
      toPage(
        rows,
        3,
        (r) => r.n,
        (r) => `c${r.n}`,
      ),
    ).toEqual({ data: [1, 2, 3], nextCursor: null });
    expect(
      toPage(
        [],
        3,
        (r: { n: number }) => r.n,
        () => 'x',
      ),
    ).toEqual({ data: [], nextCursor: null });
  });
});
