// Adds what the apps the tests spawned ran (c8's conversion of their V8 coverage) to Jest's
// Istanbul coverage, for scripts/coverage.js.
//
// The two cannot simply be merged: V8 counts every line of a loaded module (comments, blank lines,
// imports, type declarations) where Istanbul counts only statements, so a plain merge would count
// lines that hold no code. Jest's map stays the skeleton (its statements, functions and branches
// are the lines and conditions to cover) and a child's line count is credited to the statement
// and the function that start on that line. A branch arm is credited only when it starts on a line
// of its own: on a shared line (`a ? b : c`, an `if` without braces) the line's count cannot tell
// which arm ran. Files no child loaded, and lines no child ran, keep Jest's counts.
const libCoverage = require('istanbul-lib-coverage');

/**
 * @param {import('istanbul-lib-coverage').CoverageMap} jestMap
 * @param {import('istanbul-lib-coverage').CoverageMap} childrenMap
 * @returns {import('istanbul-lib-coverage').CoverageMap} a new map; the arguments are left as they are
 */
function mergeChildCoverage(jestMap, childrenMap) {
  const merged = libCoverage.createCoverageMap(JSON.parse(JSON.stringify(jestMap.toJSON())));
  for (const file of merged.files()) {
    if (!childrenMap.files().includes(file)) continue;
    const childLines = childrenMap.fileCoverageFor(file).getLineCoverage();
    const ran = (line) => childLines[line] ?? 0;
    const data = merged.fileCoverageFor(file).data;
    for (const [id, location] of Object.entries(data.statementMap)) data.s[id] += ran(location.start.line);
    for (const [id, fn] of Object.entries(data.fnMap)) data.f[id] += ran(fn.loc.start.line);
    for (const [id, branch] of Object.entries(data.branchMap)) {
      const starts = branch.locations.map((location) => location.start.line);
      branch.locations.forEach((location, arm) => {
        const line = location.start.line;
        const ownLine = line !== branch.loc.start.line && starts.filter((start) => start === line).length === 1;
        if (ownLine) data.b[id][arm] += ran(line);
      });
    }
  }
  return merged;
}

module.exports = { mergeChildCoverage };
