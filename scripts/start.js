#!/usr/bin/env node
// `npm start` (and `npm run start:dev`): the three built apps in one terminal, each line prefixed
// with its app, reading `.env` when there is one (the real environment wins over it).
//
// Stopping it stops the apps, however it is stopped:
// - SIGINT, SIGTERM or SIGHUP to this process (npm runs it with `exec`, so a signal npm forwards
//   arrives here and no `sh` sits in between to swallow it) drains each app (SIGTERM) and exits
//   once all three have;
// - if the parent goes away without a word (npm killed with SIGKILL), the same happens;
// - if an app fails, the others are stopped and this exits 1.
//
// transactions starts first and the two others once it answers: they catch up from its GET /events
// at start, which otherwise fails with a warning on every start.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { APPS, sharedEnvironment, appEnvironment } = require('./start-environment');

const ROOT = path.resolve(__dirname, '..');
const dev = process.argv.includes('--dev');
// Apps exit on their own SHUTDOWN_TIMEOUT_MS (10 s by default) plus 2 s after a SIGTERM; this is
// only for one that hangs anyway.
const KILL_AFTER_MS = 30_000;
const COLORS = { transactions: 34, 'ad-engine': 35, notifications: 32 };

function say(line) {
  process.stderr.write(`[start] ${line}\n`);
}

const dotEnvFile = path.join(process.cwd(), '.env');
const dotEnvText = fs.existsSync(dotEnvFile) ? fs.readFileSync(dotEnvFile, 'utf8') : undefined;
const shared = sharedEnvironment(dotEnvText, process.env, { dev });
if (dotEnvText !== undefined) say(`read ${path.relative(ROOT, dotEnvFile) || '.env'}`);
if (shared.env.PORT)
  say('PORT is ignored here (three apps, three ports): use TRANSACTIONS_PORT, AD_ENGINE_PORT, NOTIFICATIONS_PORT');
if (dev) say('development mode: WEBHOOK_ALLOW_PRIVATE_TARGETS=true (webhooks may target localhost)');

for (const app of APPS) {
  const main = path.join(ROOT, 'dist', 'apps', app.name, 'main.js');
  if (!fs.existsSync(main)) {
    say(`${path.relative(ROOT, main)} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
}

/** @type {Map<string, import('node:child_process').ChildProcess>} */
const running = new Map();
let stopping = false;
let failed = false;
let allStarted = false;

function pipeWithPrefix(stream, app, out) {
  const label = out.isTTY ? `\u001b[${COLORS[app.name]}m[${app.name}]\u001b[0m` : `[${app.name}]`;
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${label} ${line}\n`));
}

function startApp(app) {
  const child = spawn(process.execPath, [path.join('dist', 'apps', app.name, 'main.js')], {
    cwd: ROOT,
    env: appEnvironment(shared, app),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(app.name, child);
  pipeWithPrefix(child.stdout, app, process.stdout);
  pipeWithPrefix(child.stderr, app, process.stderr);
  child.on('exit', (code, signal) => {
    running.delete(app.name);
    const ended = signal ?? `exit code ${code}`;
    if (code !== 0) failed = true;
    if (!stopping) {
      say(`${app.name} ended (${ended})${code !== 0 ? ': stopping the others' : ''}`);
      if (code !== 0) stop();
    }
    if (running.size === 0 && (stopping || failed || allStarted)) process.exit(failed ? 1 : 0);
  });
}

function stop(reason) {
  if (stopping) return;
  stopping = true;
  if (reason) say(`${reason}: stopping the apps`);
  for (const child of running.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of running.values()) child.kill('SIGKILL');
    process.exit(1);
  }, KILL_AFTER_MS).unref();
  if (running.size === 0) process.exit(failed ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

// Reparented: whoever started this is gone (npm killed outright, or a closed terminal's shell).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('the parent process is gone');
}, 500);

/** Resolves once the app answers on its port (live, not yet necessarily ready), or after `ms`. */
async function answering(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !stopping) {
    try {
      await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function main() {
  const [first, ...others] = APPS;
  startApp(first);
  await answering(shared.ports[first.name], 30_000);
  if (stopping) return;
  for (const app of others) startApp(app);
  allStarted = true;
}

void main();
