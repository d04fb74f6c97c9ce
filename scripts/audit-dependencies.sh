#!/usr/bin/env bash
# `npm audit` of what ships (production dependencies only: dev tools never reach an image) at level
# high: a high or critical advisory fails CI; moderate and low ones are reported for Dependabot's
# pull requests to fix, without blocking every build on an advisory nobody can fix yet.
#
# Where the registry's advisory service cannot be reached (some mirrors and proxies answer its POST
# with 405), the check says so and passes: that is not an advisory. GitHub Actions always reaches it.
set -euo pipefail
cd "$(dirname "$0")/.."

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
set +e
npm audit --omit=dev --audit-level=high --json >"$report" 2>/dev/null
status=$?
set -e

node - "$report" "$status" <<'JS'
const fs = require('node:fs');
const [file, status] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(file, 'utf8') || '{}');
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const reason = report.message ?? report.error?.summary ?? 'no report';
  console.log(`NOTICE: npm audit skipped, the advisory service did not answer (${reason})`);
  process.exit(0);
}
const summary = ['critical', 'high', 'moderate', 'low', 'info'].map((level) => `${counts[level] ?? 0} ${level}`).join(', ');
console.log(`npm audit --omit=dev: ${summary}`);
for (const [name, advisory] of Object.entries(report.vulnerabilities ?? {})) {
  console.log(`  ${advisory.severity.padEnd(8)} ${name} ${advisory.range ?? ''}`);
}
process.exit(Number(status) === 0 ? 0 : 1);
JS
