import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { childCoverageEnv, childCoveragePreload } from './child-coverage';
import { eventually } from './eventually';

const ROOT = path.resolve(__dirname, '../../..');

export interface AppProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Runs an app's real `main.ts` as its own process (TypeScript through ts-node with SWC), for
 * what only a process shows: exit codes, what reaches stderr, signals. `main` names another
 * entry point (the probe app's PROBE_APP_MAIN).
 */
export function spawnApp(
  app: string,
  env: Record<string, string>,
  main = path.join(ROOT, 'apps', app, 'src', 'main.ts'),
): AppProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', ...childCoveragePreload(), main],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
        LOG_LEVEL: 'warn',
        ...childCoverageEnv(),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Resolves once the app on `port` answers ready. A spawned app compiles its TypeScript first, so
 * this allows 45 s.
 */
export async function untilReady(port: number): Promise<void> {
  await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200), {
    timeoutMs: 45_000,
    intervalMs: 250,
  });
}
