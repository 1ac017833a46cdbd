import { readdirSync, readFileSync } from 'node:fs';

/**
 * What the benchmarks read from Linux's /proc: a process's RSS and CPU time, and the CPU time of groups
 * of processes (the app, the servers it uses, the benchmark's own clients) and of the whole machine.
 */

/** USER_HZ, the unit of every CPU time in /proc (100 on Linux for x86 and arm64; `getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;
const ticksToMs = (ticks: number): number => (ticks * 1000) / CLOCK_TICKS_PER_SECOND;

export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

interface ProcessStat {
  pid: number;
  /** The executable's name as the kernel keeps it (`comm`, at most 15 characters). */
  name: string;
  parentPid: number;
  /** User + system ticks of the process itself, all its threads. */
  ownTicks: number;
  /** User + system ticks of the children it has waited for, which the kernel adds here when they exit. */
  reapedChildrenTicks: number;
}

function processStat(pid: number): ProcessStat {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The name is parenthesised and may itself hold spaces and parentheses: the fields from the third
  // (state) on follow the last `)`.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return {
    pid,
    name: stat.slice(stat.indexOf('(') + 1, close),
    parentPid: Number(fields[1]),
    ownTicks: Number(fields[11]) + Number(fields[12]),
    reapedChildrenTicks: Number(fields[13]) + Number(fields[14]),
  };
}

/** User + system CPU time the process (all its threads) has used so far. */
export function processCpuMs(pid: number): number {
  return ticksToMs(processStat(pid).ownTicks);
}

/**
 * Processes whose CPU a benchmark reports together. A process belongs to the group of its nearest
 * ancestor, itself included, that some group's `isRoot` picks: a server's helpers count with it
 * (beam.smp's port programs), and an app process the benchmark spawned counts apart from the benchmark.
 */
export interface ProcessGroup {
  name: string;
  isRoot(process: { pid: number; name: string; commandLine(): string }): boolean;
}

/** CPU time of the machine and of each group, at one moment; `cpuUsedSince` takes the difference. */
export interface CpuSnapshot {
  /** All CPUs' busy time: everything but idle, I/O wait and steal (time the hypervisor ran others). */
  machineMs: number;
  groupMs: Map<string, number>;
}

function machineBusyMs(): number {
  // The first line sums every CPU: `cpu user nice system idle iowait irq softirq steal …` (guest time is in user).
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return ticksToMs(user + nice + system + irq + softirq);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Each group's CPU counts its live processes and the ones that exited after a process of the group
 * waited for them (their time is then in the parent's `cutime`): a PostgreSQL backend that served one
 * connection and exited within the window is counted with the postmaster.
 */
export function cpuSnapshot(groups: readonly ProcessGroup[]): CpuSnapshot {
  const machineMs = machineBusyMs();
  const stats = new Map<number, ProcessStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      stats.set(Number(entry), processStat(Number(entry)));
    } catch {
      // It exited since the listing: its time is now its parent's.
    }
  }
  const groupOfPid = new Map<number, string | undefined>();
  const groupOf = (pid: number): string | undefined => {
    if (groupOfPid.has(pid)) return groupOfPid.get(pid);
    const stat = stats.get(pid);
    const group = stat
      ? (groups.find((g) => g.isRoot({ pid, name: stat.name, commandLine: () => commandLine(pid) }))?.name ??
        groupOf(stat.parentPid))
      : undefined;
    groupOfPid.set(pid, group);
    return group;
  };
  const groupMs = new Map(groups.map((g) => [g.name, 0]));
  for (const stat of stats.values()) {
    const group = groupOf(stat.pid);
    if (group !== undefined)
      groupMs.set(group, groupMs.get(group)! + ticksToMs(stat.ownTicks + stat.reapedChildrenTicks));
  }
  return { machineMs, groupMs };
}

export function cpuUsedSince(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    machineMs: after.machineMs - before.machineMs,
    groupMs: new Map([...after.groupMs].map(([name, ms]) => [name, ms - (before.groupMs.get(name) ?? 0)])),
  };
}
