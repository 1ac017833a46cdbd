import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Counter, Histogram, register } from 'prom-client';
import { ShutdownSignal } from '../boot/shutdown-signal.js';
import { AppConfig } from '../config/app-config.js';

/** What one run may say about the next one. */
export interface PeriodicRunOutcome {
  /** Pause before the next run when it differs from `everyMs`: 0 when more work is waiting, a backoff… */
  nextRunInMs?: number;
}

export interface PeriodicTaskSpec {
  /** Label of the task's logs and metrics (`task="outbox-relay"`). */
  name: string;
  /**
   * Pause between the end of one run and the start of the next, so runs never overlap: milliseconds,
   * or the name of the integer env setting that holds them (`'IMAGE_CLEANUP_INTERVAL_MS'`).
   */
  everyMs: number | string;
  /** Pause between application bootstrap and the first run (default 0: at once), or one interval. */
  firstRunAfterMs?: number | 'one interval';
  /**
   * After a failed run the pause doubles per consecutive failure, up to this (default: no backoff);
   * a function gets the interval in milliseconds.
   */
  maxBackoffMs?: number | ((everyMs: number) => number);
  /** One run. The signal aborts when shutdown starts: a run that loops over a batch stops early. */
  run(signal: AbortSignal): Promise<PeriodicRunOutcome | void>;
}

export interface PeriodicTask {
  /** Run now, or right after the current run when one is in progress (never beside it). */
  wake(): void;
}

export const PERIODIC_RUNS = 'periodic_task_runs_total';
export const PERIODIC_RUN_DURATION = 'periodic_task_run_duration_seconds';

function runsCounter(): Counter<'task' | 'outcome'> {
  return (
    (register.getSingleMetric(PERIODIC_RUNS) as Counter<'task' | 'outcome'> | undefined) ??
    new Counter({
      name: PERIODIC_RUNS,
      help: 'Runs of each periodic task by outcome (ok, failed)',
      labelNames: ['task', 'outcome'],
    })
  );
}

function durationHistogram(): Histogram<'task'> {
  return (
    (register.getSingleMetric(PERIODIC_RUN_DURATION) as Histogram<'task'> | undefined) ??
    new Histogram({
      name: PERIODIC_RUN_DURATION,
      help: 'Duration of each periodic task run',
      labelNames: ['task'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    })
  );
}

/** A task spec with its settings read: every pause in milliseconds. */
interface ResolvedTaskSpec extends PeriodicTaskSpec {
  everyMs: number;
  firstRunAfterMs: number;
  maxBackoffMs: number;
}

function resolve(spec: PeriodicTaskSpec, config: AppConfig): ResolvedTaskSpec {
  const everyMs = typeof spec.everyMs === 'string' ? config.int(spec.everyMs) : spec.everyMs;
  const backoff = spec.maxBackoffMs;
  return {
    ...spec,
    everyMs,
    firstRunAfterMs: spec.firstRunAfterMs === 'one interval' ? everyMs : (spec.firstRunAfterMs ?? 0),
    maxBackoffMs: typeof backoff === 'function' ? backoff(everyMs) : (backoff ?? 0),
  };
}

/** One task's timer and its run in progress. Never two runs at once: the next is armed when one ends. */
class ScheduledTask implements PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private wakeRequested = false;
  private failures = 0;
  private started = false;
  private stopped = false;
  /** The run in progress, awaited on shutdown. */
  running: Promise<void> | undefined;

  constructor(
    private readonly spec: ResolvedTaskSpec,
    private readonly aborted: AbortSignal,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.arm(this.spec.firstRunAfterMs);
  }

  wake(): void {
    if (this.running) this.wakeRequested = true;
    else if (this.started) this.arm(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(delayMs: number): void {
    if (this.stopped || this.aborted.aborted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => (this.running = undefined));
    }, delayMs);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    const task = this.spec.name;
    const started = performance.now();
    const elapsedMs = (): number => Math.round(performance.now() - started);
    let nextRunInMs = this.spec.everyMs;
    this.logger.debug({ task }, 'periodic run started');
    try {
      const outcome = await this.spec.run(this.aborted);
      if (outcome?.nextRunInMs !== undefined) nextRunInMs = outcome.nextRunInMs;
      this.failures = 0;
      runsCounter().inc({ task, outcome: 'ok' });
      this.logger.debug({ task, durationMs: elapsedMs() }, 'periodic run ended');
    } catch (error) {
      this.failures++;
      nextRunInMs = Math.min(
        Math.max(this.spec.maxBackoffMs, this.spec.everyMs),
        this.spec.everyMs * 2 ** this.failures,
      );
      runsCounter().inc({ task, outcome: 'failed' });
      this.logger.warn(
        { task, durationMs: elapsedMs(), err: (error as Error).message },
        'periodic run failed',
      );
    } finally {
      durationHistogram().observe({ task }, (performance.now() - started) / 1000);
    }
    if (this.wakeRequested) nextRunInMs = 0;
    this.wakeRequested = false;
    this.arm(nextRunInMs);
  }
}

/**
 * The one way to run periodic work. Tasks scheduled before application bootstrap start with it, later
 * ones at once. Each run is logged (debug; failures warn) and measured (`periodic_task_runs_total`,
 * `periodic_task_run_duration_seconds`). When shutdown starts (the ShutdownSignal, or the app closing)
 * no run starts any more, the running ones see their signal abort, and module destruction waits for
 * them, before the message bus and the database close.
 */
@Injectable()
export class PeriodicRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PeriodicRunner.name);
  private readonly tasks: ScheduledTask[] = [];
  private readonly controller = new AbortController();
  private started = false;

  constructor(
    shutdown: ShutdownSignal,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    shutdown.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  schedule(spec: PeriodicTaskSpec): PeriodicTask {
    const task = new ScheduledTask(resolve(spec, this.config), this.controller.signal, this.logger);
    this.tasks.push(task);
    if (this.started) task.start();
    return task;
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const task of this.tasks) task.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stop();
    await Promise.allSettled(this.tasks.map((task) => task.running));
  }

  private stop(): void {
    this.controller.abort();
    for (const task of this.tasks) task.stop();
  }
}

@Global()
@Module({ providers: [PeriodicRunner], exports: [PeriodicRunner] })
export class PeriodicModule {}
