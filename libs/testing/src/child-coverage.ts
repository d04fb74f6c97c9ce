import path from 'node:path';

/**
 * The environment that makes a process the tests spawn write its V8 coverage. Jest measures only
 * the code that runs inside its own workers; an app started as a child process (spawnApp, the
 * dlq:redrive command) is invisible to it. `npm run test:coverage` (scripts/coverage.js) sets
 * COVERAGE_CHILDREN_DIR, and each child then writes its coverage there (as it runs, and when it
 * exits: child-coverage-flush.ts), for c8 to map back to the TypeScript sources.
 */
export function childCoverageEnv(): Record<string, string> {
  const dir = process.env.COVERAGE_CHILDREN_DIR;
  return dir ? { NODE_V8_COVERAGE: dir } : {};
}

/** The `node` options that make a spawned app also write its coverage while it runs (none without coverage). */
export function childCoveragePreload(): string[] {
  return process.env.COVERAGE_CHILDREN_DIR ? ['-r', path.join(__dirname, 'child-coverage-flush.ts')] : [];
}
