import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface ChildProcessHandle {
  name: string;
  pid: number;
  child: ChildProcess;
  /** The last few KiB of its stdout and stderr, for a failure's message. */
  output(): string;
}

const OUTPUT_KEPT = 8192;

/**
 * BENCH_NODE_ARGS, split on spaces, go before every child's script: to profile a run, for one
 * (`--cpu-prof --cpu-prof-dir=/tmp/profiles`), or to try a V8 flag on both chains.
 */
const nodeArgs = (): string[] => (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * The bench's children: every one started here is stopped by `stopAll`, which the bench calls in
 * `finally` and on SIGINT/SIGTERM, so a failed or interrupted run leaves no process behind.
 */
export class ChildProcesses {
  private readonly running = new Set<ChildProcessHandle>();

  spawnNode(name: string, script: string, env: Record<string, string>, cwd: string): ChildProcessHandle {
    const child = spawn(process.execPath, [...nodeArgs(), script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`${name}: could not start`);
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const handle: ChildProcessHandle = { name, pid: child.pid, child, output: () => output };
    this.running.add(handle);
    child.on('exit', () => this.running.delete(handle));
    return handle;
  }

  /** Throws, naming the process and its last output, if any child has exited. */
  assertAlive(handles: ChildProcessHandle[]): void {
    const dead = handles.find((handle) => handle.child.exitCode !== null || handle.child.signalCode !== null);
    if (dead)
      throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}):\n${dead.output()}`);
  }

  /** SIGTERM, then SIGKILL for whatever has not exited after `graceMs`. */
  async stop(handles: ChildProcessHandle[], graceMs = 5_000): Promise<void> {
    await Promise.all(
      handles.map(async (handle) => {
        if (handle.child.exitCode !== null || handle.child.signalCode !== null) return;
        const exited = new Promise((resolve) => handle.child.once('exit', resolve));
        handle.child.kill('SIGTERM');
        const timer = setTimeout(() => handle.child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  stopAll(): Promise<void> {
    return this.stop([...this.running]);
  }
}

/** A TCP port nobody listens on right now, for a child to take. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers with `status` (any status when undefined); gives up after `timeoutMs`. */
export async function untilAnswering(
  url: string,
  handle: ChildProcessHandle,
  processes: ChildProcesses,
  status?: number,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    processes.assertAlive([handle]);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (status === undefined || response.status === status) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${handle.name} not ready within ${timeoutMs} ms:\n${handle.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
