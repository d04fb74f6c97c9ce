#!/usr/bin/env node
// `npm run test:coverage [-- <jest arguments>]`: the tests' coverage, the apps they spawn included,
// as coverage/lcov.info (what SonarQube reads: sonar-project.properties) and coverage/lcov-report/.
//
// Jest measures only the code that runs in its own workers. The integration tests also start apps
// as child processes (spawnApp, the dlq:redrive command), and what those run would otherwise count
// as never executed. So:
// 1. Jest runs with its Istanbul coverage (jest.config.js) into coverage/jest/coverage-final.json, and
//    with COVERAGE_CHILDREN_DIR set, which makes every child it spawns write its raw V8 coverage
//    there (NODE_V8_COVERAGE, libs/testing/src/child-coverage.ts);
// 2. c8 maps the children's coverage back to the TypeScript sources (ts-node's inline source maps,
//    which Node keeps with the coverage) into coverage/children/coverage-final.json;
// 3. what they ran is added to Jest's map, line by line, without counting the lines V8 counts and
//    Istanbul does not (scripts/merge-child-coverage.js), and the result is written as lcov.
// Jest's own coverageThreshold still applies to step 1; the exit status is Jest's.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const libCoverage = require('istanbul-lib-coverage');
const libReport = require('istanbul-lib-report');
const reports = require('istanbul-reports');
const { mergeChildCoverage } = require('./merge-child-coverage');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'coverage');
const JEST_DIR = path.join(OUT, 'jest');
const CHILDREN_RAW_DIR = path.join(OUT, 'children-v8');
const CHILDREN_DIR = path.join(OUT, 'children');

// The sources, for c8; which of them count is Jest's collectCoverageFrom (jest.config.js): the
// merge keeps the files of Jest's map only.
const INCLUDE = ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'];
const EXCLUDE = ['**/*.spec.ts'];

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function readMap(file) {
  return fs.existsSync(file) ? libCoverage.createCoverageMap(JSON.parse(fs.readFileSync(file, 'utf8'))) : undefined;
}

// A child's V8 coverage holds every script it loaded, Node's and node_modules' too: tens of MB per
// file, and a file every few seconds (libs/testing/src/child-coverage-flush.ts). Only the
// repository's own are kept before c8 reads them all.
function keepOwnScripts(file) {
  const own = (url) => url.startsWith(`${pathToFileURL(ROOT).href}/`) && !url.includes('/node_modules/');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  raw.result = raw.result.filter((script) => own(script.url));
  if (raw['source-map-cache'])
    raw['source-map-cache'] = Object.fromEntries(Object.entries(raw['source-map-cache']).filter(([url]) => own(url)));
  fs.writeFileSync(file, JSON.stringify(raw));
}

function linesPct(map) {
  const { covered, total, pct } = map.getCoverageSummary().lines;
  return `${pct}% (${covered}/${total})`;
}

// `--report-only`: the reports again from the coverage of the last run, without running the tests.
const reportOnly = process.argv.includes('--report-only');
const jestArgs = process.argv.slice(2).filter((arg) => arg !== '--report-only');

let jestStatus = 0;
if (!reportOnly) {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(CHILDREN_RAW_DIR, { recursive: true });
  jestStatus = run(process.execPath, [require.resolve('jest/bin/jest'), '--coverage', ...jestArgs], {
    ...process.env,
    COVERAGE_CHILDREN_DIR: CHILDREN_RAW_DIR,
  });
}

for (const file of fs.readdirSync(CHILDREN_RAW_DIR)) keepOwnScripts(path.join(CHILDREN_RAW_DIR, file));

const c8Status = run(process.execPath, [
  require.resolve('c8/bin/c8'),
  'report',
  `--temp-directory=${CHILDREN_RAW_DIR}`,
  `--reports-dir=${CHILDREN_DIR}`,
  '--reporter=json',
  ...INCLUDE.map((glob) => `--include=${glob}`),
  ...EXCLUDE.map((glob) => `--exclude=${glob}`),
]);
if (c8Status !== 0) console.error(`c8 report exited ${c8Status}: the spawned apps' coverage is missing`);

const empty = libCoverage.createCoverageMap({});
const jestMap = readMap(path.join(JEST_DIR, 'coverage-final.json')) ?? empty;
const childrenMap = readMap(path.join(CHILDREN_DIR, 'coverage-final.json')) ?? empty;
const merged = mergeChildCoverage(jestMap, childrenMap);

const context = libReport.createContext({ dir: OUT, coverageMap: merged, defaultSummarizer: 'nested' });
reports.create('lcov').execute(context);
reports.create('text-summary').execute(context);
console.log(
  `Lines covered: ${linesPct(jestMap)} by what ran in Jest's workers, ${linesPct(merged)} with what the ` +
    `${childrenMap.files().length} source files the spawned apps loaded ran (coverage/lcov.info)`,
);

process.exit(jestStatus || (c8Status && 1));
