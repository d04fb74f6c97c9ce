/**
 * `npm start` as a newcomer (or a service manager) runs it: whichever way npm is told to stop,
 * the three apps stop with it. Needs the built apps (`npm run build`, as .ci/run does first).
 */
import { createTestEnvironment, eventually, freePort, TestEnvironment } from '@app/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

async function answersReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
  } catch {
    return false;
  }
}

/** True once nothing accepts connections on the port any more. */
async function closed(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health/live`);
    return false;
  } catch (error) {
    return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
  }
}

describe('npm start', () => {
  let environment: TestEnvironment;
  let npm: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    for (const app of ['transactions', 'ad-engine', 'notifications']) {
      if (!existsSync(path.join(ROOT, 'dist', 'apps', app, 'main.js'))) {
        throw new Error(`dist/apps/${app}/main.js is missing: run \`npm run build\` before this test`);
      }
    }
    environment = await createTestEnvironment();
  });

  afterEach(() => {
    // A test that failed half-way must not leave npm behind (the apps follow it).
    npm?.kill('SIGKILL');
    npm = undefined;
  });

  afterAll(async () => {
    await environment?.teardown();
  });

  async function startAll(): Promise<{ npm: ChildProcess; ports: number[]; exited: Promise<unknown> }> {
    const ports = [await freePort(), await freePort(), await freePort()];
    output = '';
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...environment.env,
        TRANSACTIONS_PORT: String(ports[0]),
        AD_ENGINE_PORT: String(ports[1]),
        NOTIFICATIONS_PORT: String(ports[2]),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => npm?.on('exit', (code, signal) => resolve(code ?? signal)));
    await eventually(
      async () =>
        expect({ output, ready: await Promise.all(ports.map(answersReady)) }).toMatchObject({
          ready: [true, true, true],
        }),
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    return { npm, ports, exited };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('stops all three apps when npm alone gets %s', async (signal) => {
    const started = await startAll();
    started.npm.kill(signal);
    await eventually(
      async () =>
        expect({ output, closed: await Promise.all(started.ports.map(closed)) }).toMatchObject({
          closed: [true, true, true],
        }),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(await started.exited).toBe(0);
    expect(output).toContain(`[start] ${signal}: stopping the apps`);
  });
});
