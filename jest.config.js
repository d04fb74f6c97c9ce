// `npm test` runs every project's unit and integration tests; `npx nx test <project>` runs one.
const fs = require('node:fs');
const path = require('node:path');

const projects = [
  ...['apps', 'libs'].flatMap((dir) =>
    fs.readdirSync(path.join(__dirname, dir)).map((name) => path.join(__dirname, dir, name, 'jest.config.js')),
  ),
  // The benches' pure helpers (the same-work chain's topic matcher and validation, percentiles).
  path.join(__dirname, 'bench', 'jest.config.js'),
  // The lint rules of our own (the layer rules), run as `npm run lint` runs them.
  path.join(__dirname, 'eslint', 'jest.config.js'),
  // The repository's own scripts: `npm start` and what it starts the apps with.
  path.join(__dirname, 'scripts', 'jest.config.js'),
  // The reference under docs/: every variable documented, nothing pointing outside the repository.
  path.join(__dirname, 'docs', 'jest.config.js'),
  // The Kubernetes manifests: each overlay rendered, checked against the API schemas and our invariants.
  path.join(__dirname, 'deploy', 'jest.config.js'),
].filter((file) => fs.existsSync(file));

module.exports = {
  projects,
  // Most tests wait on PostgreSQL, RabbitMQ or a child process, not on the CPU.
  maxWorkers: 3,
  // Integration tests boot whole apps and processes; a cold start under load takes seconds.
  testTimeout: 60_000,
  // A test that leaks a connection must fail its own assertions, not hang CI until it times out.
  forceExit: true,
  // Istanbul's instrumentation (the default provider) counts only executable lines; V8's counts
  // comments, blank lines and imports too. `npm run test:coverage` (scripts/coverage.js) adds what
  // the apps the tests spawn ran to this map and writes coverage/lcov.info from the result.
  // Here, not per project: Jest reads the global list to add the files no test loaded (at 0%).
  // What SonarQube measures (sonar-project.properties: the sources less the coverage exclusions),
  // so that the threshold below and the quality gate judge the same lines.
  collectCoverageFrom: [
    '{apps,libs}/*/src/**/*.ts',
    '!libs/testing/**',
    '!**/*.spec.ts',
    '!**/main.ts',
    '!**/instrument.ts',
    '!**/migrations/**',
    '!**/db/data-source.ts',
  ],
  // What Jest alone measured of that on 2026-12-05 (lines 94.4%, statements 93.1%, functions 93.9%,
  // branches 87.5%), less a margin for the runs where a timing-bound path is not taken.
  coverageThreshold: { global: { lines: 92, statements: 91, functions: 91, branches: 85 } },
  coverageDirectory: '<rootDir>/coverage/jest',
  coverageReporters: ['json', 'text-summary'],
};
