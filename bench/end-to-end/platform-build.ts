import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const APPS = ['transactions', 'ad-engine', 'notifications'] as const;

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The platform runs as built (`node dist/apps/<app>/main.js`), so the bench builds it first when
 * a bundle is missing or older than any source file of the apps and libs.
 */
export function ensurePlatformBuilt(root: string): void {
  const bundles = APPS.map((app) => path.join(root, 'dist', 'apps', app, 'main.js'));
  const sources = Math.max(newestSourceMs(path.join(root, 'apps')), newestSourceMs(path.join(root, 'libs')));
  if (bundles.every((bundle) => existsSync(bundle) && statSync(bundle).mtimeMs >= sources)) return;
  process.stdout.write('bench:e2e: dist is missing or stale, running npm run build\n');
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal})`);
}
