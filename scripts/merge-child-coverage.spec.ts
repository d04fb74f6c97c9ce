import libCoverage from 'istanbul-lib-coverage';
import { mergeChildCoverage } from './merge-child-coverage';

const FILE = '/repo/libs/example/src/example.ts';
const at = (line: number, column = 2) => ({ start: { line, column }, end: { line, column: column + 10 } });

/** Jest's view of a file: statements on lines 3, 4 and 6, a function at 2, an if/else whose arms start on 5 and 7. */
function jestCoverage(hits: { s?: number[]; f?: number; b?: number[] } = {}) {
  return libCoverage.createCoverageMap({
    [FILE]: {
      path: FILE,
      statementMap: { 0: at(3), 1: at(4), 2: at(6) },
      s: { 0: hits.s?.[0] ?? 0, 1: hits.s?.[1] ?? 0, 2: hits.s?.[2] ?? 0 },
      fnMap: { 0: { name: 'example', decl: at(2), loc: at(2, 0), line: 2 } },
      f: { 0: hits.f ?? 0 },
      branchMap: {
        0: { loc: at(4), type: 'cond-expr', locations: [at(5), at(7)], line: 4 },
        1: { loc: at(6), type: 'binary-expr', locations: [at(6, 4), at(6, 12)], line: 6 },
      },
      b: { 0: hits.b?.slice(0, 2) ?? [0, 0], 1: hits.b?.slice(2) ?? [0, 0] },
    },
  });
}

/** What c8 makes of a child's V8 coverage: one statement per line, each with that line's count. */
function childLines(counts: Record<number, number>) {
  const statementMap = Object.fromEntries(Object.keys(counts).map((line, i) => [i, at(Number(line), 0)]));
  const s = Object.fromEntries(Object.values(counts).map((count, i) => [i, count]));
  return libCoverage.createCoverageMap({
    [FILE]: { path: FILE, statementMap, s, fnMap: {}, f: {}, branchMap: {}, b: {} },
  });
}

describe('the coverage of the spawned apps, added to Jest’s', () => {
  it('counts a line a child ran as covered, only where Jest sees a statement', () => {
    const merged = mergeChildCoverage(jestCoverage({ s: [1, 0, 0] }), childLines({ 1: 5, 4: 2, 8: 3 }));
    const file = merged.fileCoverageFor(FILE);
    expect(file.getLineCoverage()).toEqual({ 3: 1, 4: 2, 6: 0 });
    // Line 1 (an import or a comment to Istanbul) and line 8 hold no statement: not lines to cover.
    expect(file.toSummary().lines).toMatchObject({ total: 3, covered: 2 });
  });

  it('credits a function whose first line a child ran', () => {
    const merged = mergeChildCoverage(jestCoverage(), childLines({ 2: 1 }));
    expect(merged.fileCoverageFor(FILE).f).toEqual({ 0: 1 });
  });

  it('credits a branch arm on a line of its own, never one that shares its line', () => {
    const merged = mergeChildCoverage(jestCoverage(), childLines({ 5: 1, 6: 4, 7: 0 }));
    expect(merged.fileCoverageFor(FILE).b).toEqual({ 0: [1, 0], 1: [0, 0] });
  });

  it('keeps Jest’s counts for the files no child loaded, and leaves both maps as they were', () => {
    const jest = jestCoverage({ s: [1, 1, 0] });
    const before = JSON.stringify(jest.toJSON());
    const merged = mergeChildCoverage(jest, libCoverage.createCoverageMap({}));
    expect(merged.fileCoverageFor(FILE).s).toEqual({ 0: 1, 1: 1, 2: 0 });
    expect(JSON.stringify(jest.toJSON())).toBe(before);
  });
});
