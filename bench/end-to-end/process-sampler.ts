import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';

/** Linux's USER_HZ: /proc times are in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; undefined once it has gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Processes whose command name (comm) is `name`, e.g. RabbitMQ's `beam.smp`. */
export function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The PostgreSQL backends serving one database right now (its pools' connections). */
export async function backendsOf(databaseUrl: string): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/** A group's CPU over a phase: from a snapshot at its start to one at its end. */
export interface CpuSnapshot {
  at: number;
  byPid: Map<number, number>;
}

export function snapshot(pids: number[]): CpuSnapshot {
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    const ms = cpuMs(pid);
    if (ms !== undefined) byPid.set(pid, ms);
  }
  return { at: performance.now(), byPid };
}

/**
 * CPU ms a group used between two snapshots. A pid first seen at the end started during the
 * phase and counts whole; one gone by the end (a backend that disconnected) is lost, which the
 * pools of both chains make rare.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let total = 0;
  for (const [pid, end] of after.byPid) total += end - (before.byPid.get(pid) ?? 0);
  return total;
}
