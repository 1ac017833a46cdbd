import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Instructions a process executes, counted by valgrind's callgrind, where CPU time on this shared,
 * virtualised machine moves by a quarter from one minute to the next. A bare server's count repeats
 * within 1 %; an app's moved by up to a quarter between runs of the same code (docs/PERFORMANCE.md):
 * work done per wall-clock second (timers, pollers) counts more per request when valgrind runs slower.
 * It counts user space only (the kernel's share of a socket write is not in it), and nothing before
 * `count` asks: on the main thread, the event loop a server's throughput is bound by, and on all
 * threads (V8's garbage collector helpers, libuv's pool), the CPU the process takes from the machine.
 */
export class InstructionCounter {
  private readonly dumpDir = mkdtempSync(join(tmpdir(), 'eco2-callgrind-'));

  constructor() {
    if (spawnSync('valgrind', ['--version']).status !== 0)
      throw new Error('counting instructions needs valgrind (apt-get install valgrind)');
  }

  /** The command prefix that starts a process under callgrind, instrumented only while `count` runs. */
  launcher(): string[] {
    return [
      'valgrind',
      '--tool=callgrind',
      '--quiet',
      '--instr-atstart=no',
      // V8 writes and rewrites machine code on the heap.
      '--smc-check=all-non-file',
      '--separate-threads=yes',
      `--callgrind-out-file=${this.dumpDir}/callgrind.%p`,
    ];
  }

  /**
   * What process `pid` executes while `work` runs, on its main thread and on all its threads: all of it,
   * and the part that was V8's optimizing compilers (Maglev, Turbofan) finishing code that a longer
   * warm-up would have compiled before.
   */
  async count(
    pid: number,
    work: () => Promise<void>,
  ): Promise<Record<'mainThread' | 'allThreads', Executed>> {
    const control = (...args: string[]): string =>
      execFileSync('callgrind_control', [...args, String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    control('--instr=on');
    control('--zero');
    await work();
    const before = new Set(readdirSync(this.dumpDir));
    control('--dump');
    control('--instr=off');
    const dumps = await this.newDumps(pid, before);
    const allThreads: Executed = { instructions: 0, compiling: 0 };
    let mainThread: Executed | undefined;
    for (const dump of dumps) {
      const executed = executedIn(dump);
      allThreads.instructions += executed.instructions;
      allThreads.compiling += executed.compiling;
      if (MAIN_THREAD.test(dump)) mainThread = executed;
      rmSync(dump);
    }
    if (!mainThread) throw new Error(`callgrind wrote no dump of the main thread of process ${pid}`);
    return { mainThread, allThreads };
  }

  close(): void {
    rmSync(this.dumpDir, { recursive: true, force: true });
  }

  /**
   * callgrind writes one dump per thread (`callgrind.<pid>.<n>-<thread>`, the main thread `-01`) after
   * `--dump` returns: waits until the main thread's is there and every dump is whole.
   */
  private async newDumps(pid: number, before: Set<string>): Promise<string[]> {
    for (let attempt = 0; attempt < 600; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const dumps = readdirSync(this.dumpDir)
        .filter((name) => name.startsWith(`callgrind.${pid}.`) && !before.has(name))
        .map((name) => join(this.dumpDir, name));
      if (
        dumps.some((dump) => MAIN_THREAD.test(dump)) &&
        dumps.every((dump) => /^totals:/m.test(readFileSync(dump, 'utf8')))
      )
        return dumps;
    }
    throw new Error(`callgrind wrote no dump for process ${pid}`);
  }
}

export interface Executed {
  instructions: number;
  /** Of `instructions`, those of V8's optimizing compilers. */
  compiling: number;
}

function executedIn(dump: string): Executed {
  const annotated = execFileSync('callgrind_annotate', ['--threshold=100', dump], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const executed: Executed = { instructions: 0, compiling: 0 };
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+) (?:\([^)]*\)\s+)?(.*)$/.exec(line);
    if (!match) continue;
    const count = Number(match[1].replaceAll(',', ''));
    if (match[2].includes('PROGRAM TOTALS')) executed.instructions = count;
    else if (COMPILER.test(match[2])) executed.compiling += count;
  }
  return executed;
}

const MAIN_THREAD = /\.\d+-0*1$/;
/** V8's optimizing compilers, by the C++ namespaces callgrind names their functions with. */
const COMPILER = /v8::internal::(compiler|maglev|turboshaft)::/;
