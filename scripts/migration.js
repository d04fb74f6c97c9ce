#!/usr/bin/env node
// npm run migration:generate -- <app> <Name>   diff the app's entities against its schema into a new migration
// npm run migration:run -- <app>               create the app's schema if needed and apply pending migrations
// npm run migration:show -- <app>              list applied and pending migrations
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const APPS = ['transactions', 'ad-engine', 'notifications'];
const [command, app, name] = process.argv.slice(2);

function usage(message) {
  console.error(`${message}\nusage: npm run migration:<generate|run|show> -- <${APPS.join('|')}> [Name]`);
  process.exit(2);
}

if (!['generate', 'run', 'show'].includes(command)) usage(`unknown command ${command}`);
if (!APPS.includes(app)) usage(`unknown app ${app ?? '(none)'}`);
if (command === 'generate' && !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) usage('the migration needs a PascalCase name');

const env = { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') };
const node = (args) =>
  spawnSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', ...args], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
const dataSource = `apps/${app}/src/db/data-source.ts`;
const migrationsDir = path.join(ROOT, 'apps', app, 'src', 'migrations');

if (command === 'run') {
  // TypeORM's own migration:run cannot create the schema its migrations table lives in.
  process.exit(node(['scripts/run-migrations.ts', app]).status ?? 1);
}

if (command === 'show') {
  process.exit(node(['node_modules/typeorm/cli.js', 'migration:show', '-d', dataSource]).status ?? 1);
}

const before = new Set(fs.readdirSync(migrationsDir));
const result = node([
  'node_modules/typeorm/cli.js',
  'migration:generate',
  '-d',
  dataSource,
  '--pretty',
  path.join(migrationsDir, name),
]);
if (result.status !== 0) process.exit(result.status ?? 1);

// Register the new migration: the bundle needs classes, not globs.
for (const file of fs.readdirSync(migrationsDir).filter((f) => !before.has(f))) {
  const source = fs.readFileSync(path.join(migrationsDir, file), 'utf8');
  const className = /export class (\w+)/.exec(source)?.[1];
  if (!className) continue;
  const indexFile = path.join(migrationsDir, 'index.ts');
  const index = fs.readFileSync(indexFile, 'utf8');
  const withImport = `import { ${className} } from './${file.replace(/\.ts$/, '')}';\n${index}`;
  const registered = withImport.replace(/\[([^\]]*)\];/, (_, list) => {
    const items = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return `[${[...items, className].join(', ')}];`;
  });
  fs.writeFileSync(indexFile, registered);
  console.log(`registered ${className} in ${path.relative(ROOT, indexFile)}`);
}
