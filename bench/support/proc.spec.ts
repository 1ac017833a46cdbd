import { describe, expect, it } from 'vitest';
import { cpuSnapshot, cpuUsedSince } from './proc.js';

describe('cpuSnapshot', () => {
  it("counts a process's CPU in its group and within the machine's busy time", () => {
    const groups = [{ name: 'this process', isRoot: (p: { pid: number }) => p.pid === process.pid }];
    const before = cpuSnapshot(groups);
    // Busy for 200 ms of this process's own CPU, however little of a core the machine gives it.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 200_000);
    const used = cpuUsedSince(before, cpuSnapshot(groups));
    const ownMs = used.groupMs.get('this process')!;
    expect(ownMs).toBeGreaterThanOrEqual(180);
    // The machine and the process are counted in 10 ms ticks each.
    expect(used.machineMs).toBeGreaterThanOrEqual(ownMs - 20);
  });
});
