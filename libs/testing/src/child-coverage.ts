/**
 * The environment that makes a process the tests spawn write its V8 coverage. Jest measures only
 * the code that runs inside its own workers; an app started as a child process (spawnApp, the
 * dlq:redrive command) is invisible to it. `npm run test:coverage` (scripts/coverage.js) sets
 * COVERAGE_CHILDREN_DIR, and each child then writes its coverage there when it exits, for c8 to
 * map back to the TypeScript sources and merge into coverage/lcov.info.
 */
export function childCoverageEnv(): Record<string, string> {
  const dir = process.env.COVERAGE_CHILDREN_DIR;
  return dir ? { NODE_V8_COVERAGE: dir } : {};
}
