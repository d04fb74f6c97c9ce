// Types of merge-child-coverage.js (plain JavaScript, run by scripts/coverage.js without a compiler).
import type { CoverageMap } from 'istanbul-lib-coverage';

export function mergeChildCoverage(jestMap: CoverageMap, childrenMap: CoverageMap): CoverageMap;
