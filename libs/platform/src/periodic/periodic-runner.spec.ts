import { register } from 'prom-client';
import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from '../../../../test/support/wait.js';
import { ShutdownSignal } from '../boot/shutdown-signal.js';
import { AppConfig } from '../config/app-config.js';
import {
  PERIODIC_RUN_DURATION,
  PERIODIC_RUNS,
  PeriodicRunner,
  type PeriodicTaskSpec,
} from './periodic-runner.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A task body that records how many of its runs are in progress at once, and when each started. */
function probe(runMs: number, behaviour: (run: number) => void = () => undefined) {
  const state = { active: 0, maxActive: 0, runs: 0, starts: [] as number[], aborted: [] as boolean[] };
  const run: PeriodicTaskSpec['run'] = async (signal) => {
    state.runs++;
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    state.starts.push(performance.now());
    try {
      await sleep(runMs);
      state.aborted.push(signal.aborted);
      behaviour(state.runs);
    } finally {
      state.active--;
    }
  };
  return { state, run };
}

const until = (condition: () => boolean): Promise<void> =>
  waitUntil(async () => condition(), 5000, String(condition), 5);

const metricValue = async (name: string, labels: Record<string, string>): Promise<number> => {
  const metric = await register.getSingleMetric(name)!.get();
  const match = metric.values.find(
    (v) =>
      Object.entries(labels).every(([k, value]) => v.labels[k] === value) &&
      (!('metricName' in v) || v.metricName === name || v.metricName === `${name}_count`),
  );
  return match?.value ?? 0;
};

// Each run logs at debug level: keep the output readable.
Logger.overrideLogger(['error']);

const config = AppConfig.load([
  { name: 'TEST_SWEEP_MS', kind: 'int', default: '50', description: 'a task interval' },
]);

describe('PeriodicRunner', () => {
  let runner: PeriodicRunner;
  let shutdown: ShutdownSignal;
  const started = (): PeriodicRunner => {
    shutdown = new ShutdownSignal();
    runner = new PeriodicRunner(shutdown, config);
    return runner;
  };
  afterEach(async () => {
    await runner?.onModuleDestroy();
  });

  it('starts with application bootstrap, not before', async () => {
    const { state, run } = probe(1);
    started().schedule({ name: 'test-bootstrap', everyMs: 10, run });
    await sleep(40);
    expect(state.runs).toBe(0);
    runner.onApplicationBootstrap();
    await until(() => state.runs >= 2);
  });

  it('never overlaps itself: a run slower than its interval, woken again and again, still runs alone', async () => {
    const { state, run } = probe(30);
    const task = started().schedule({ name: 'test-overlap', everyMs: 1, run });
    runner.onApplicationBootstrap();
    const waking = setInterval(() => task.wake(), 2);
    await until(() => state.runs >= 6);
    clearInterval(waking);
    expect(state.maxActive).toBe(1);
    // Each run started after the previous one ended (30 ms each).
    for (let i = 1; i < state.starts.length; i++)
      expect(state.starts[i]! - state.starts[i - 1]!).toBeGreaterThanOrEqual(29);
  });

  it('waits its interval between the end of one run and the start of the next', async () => {
    const { state, run } = probe(1);
    started().schedule({ name: 'test-interval', everyMs: 60, firstRunAfterMs: 0, run });
    runner.onApplicationBootstrap();
    await until(() => state.runs >= 3);
    expect(state.starts[2]! - state.starts[1]!).toBeGreaterThanOrEqual(59);
  });

  it('reads its interval from an env setting, and may wait one interval before the first run', async () => {
    const { state, run } = probe(1);
    started().schedule({
      name: 'test-setting',
      everyMs: 'TEST_SWEEP_MS',
      firstRunAfterMs: 'one interval',
      run,
    });
    const bootedAt = performance.now();
    runner.onApplicationBootstrap();
    await until(() => state.runs >= 2);
    expect(state.starts[0]! - bootedAt).toBeGreaterThanOrEqual(49);
    expect(state.starts[1]! - state.starts[0]!).toBeGreaterThanOrEqual(49);
  });

  it('a wake during a run gives exactly one more run right after it', async () => {
    const { state, run } = probe(40);
    const task = started().schedule({ name: 'test-wake', everyMs: 60_000, run });
    runner.onApplicationBootstrap();
    await until(() => state.active === 1);
    task.wake();
    task.wake();
    await until(() => state.runs === 2);
    await sleep(100);
    expect(state.runs).toBe(2);
  });

  it('takes the pause a run asks for (more work waiting, or a backoff)', async () => {
    let runs = 0;
    started().schedule({
      name: 'test-next',
      everyMs: 60_000,
      run: async () => (++runs < 4 ? { nextRunInMs: 0 } : {}),
    });
    runner.onApplicationBootstrap();
    await until(() => runs === 4);
    await sleep(50);
    expect(runs).toBe(4);
  });

  it('logs and counts a failed run, backs off while it keeps failing, and recovers', async () => {
    const { state, run } = probe(0, (n) => {
      if (n <= 3) throw new Error(`failure ${n}`);
    });
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    started().schedule({ name: 'test-failing', everyMs: 20, maxBackoffMs: 80, run });
    runner.onApplicationBootstrap();
    // The sixth run starts once the fifth (the second success) was counted.
    await until(() => state.runs >= 6);
    const warnings = [...warn.mock.calls];
    warn.mockRestore();
    expect(warnings.filter(([fields]) => (fields as { task?: string }).task === 'test-failing')).toEqual(
      [1, 2, 3].map((n) => [
        expect.objectContaining({ task: 'test-failing', err: `failure ${n}` }),
        'periodic run failed',
      ]),
    );
    // 20 × 2^failures, capped at 80: 40, 80, 80 after the three failures.
    const gaps = state.starts.slice(1, 4).map((t, i) => t - state.starts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    expect(gaps[1]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(await metricValue(PERIODIC_RUNS, { task: 'test-failing', outcome: 'failed' })).toBe(3);
    expect(await metricValue(PERIODIC_RUNS, { task: 'test-failing', outcome: 'ok' })).toBeGreaterThanOrEqual(
      2,
    );
    expect(await metricValue(PERIODIC_RUN_DURATION, { task: 'test-failing' })).toBeGreaterThanOrEqual(5);
  });

  it('on shutdown: starts no run, aborts the running one, and module destruction waits for it', async () => {
    const { state, run } = probe(50);
    started().schedule({ name: 'test-shutdown', everyMs: 1, run });
    const later = probe(1);
    runner.onApplicationBootstrap();
    await until(() => state.active === 1);
    shutdown.raise();
    runner.schedule({ name: 'test-after-shutdown', everyMs: 1, run: later.run });
    await runner.onModuleDestroy();
    expect(state.active).toBe(0);
    expect(state.aborted.at(-1)).toBe(true);
    const runs = state.runs;
    await sleep(30);
    expect(state.runs).toBe(runs);
    expect(later.state.runs).toBe(0);
  });

  it('closing the app without a shutdown signal also stops and awaits the running run', async () => {
    const { state, run } = probe(50);
    started().schedule({ name: 'test-close', everyMs: 1, run });
    runner.onApplicationBootstrap();
    await until(() => state.active === 1);
    await runner.onModuleDestroy();
    expect(state.active).toBe(0);
    const runs = state.runs;
    await sleep(20);
    expect(state.runs).toBe(runs);
  });
});
