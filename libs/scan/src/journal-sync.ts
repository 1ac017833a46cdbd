import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig, Clock, ShutdownSignal } from '../../platform/src/index.js';
import { LandScanOutcome } from './land-scan-outcome.js';
import { WorkerJournal } from './worker-journal.js';

const BATCH = 100;
const PRUNE_EVERY_MS = 60_000;

/**
 * Lands journaled outcomes the database could not take when the job finished (it was down), oldest
 * first, backing off while it stays down; prunes synced entries past their retention.
 */
@Injectable()
export class JournalSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JournalSync.name);
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastPrune = 0;
  private stopped = false;

  constructor(
    private readonly journal: WorkerJournal,
    private readonly landing: LandScanOutcome,
    private readonly shutdown: ShutdownSignal,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.baseDelayMs = config.int('WORKER_JOURNAL_SYNC_MS');
    this.maxDelayMs = Math.min(30_000, this.baseDelayMs * 32);
  }

  onApplicationBootstrap(): void {
    this.shutdown.signal.addEventListener('abort', () => this.onModuleDestroy(), { once: true });
    this.schedule(0);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.syncOnce(), delayMs);
    this.timer.unref();
  }

  private async syncOnce(): Promise<void> {
    let landedAll = true;
    try {
      for (const entry of this.journal.awaitingSync(BATCH)) {
        if (this.stopped) return;
        if (!(await this.landing.land(entry))) {
          landedAll = false;
          break;
        }
      }
      const now = this.clock.now().getTime();
      if (now - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = now;
        this.journal.prune(now);
      }
    } catch (error) {
      landedAll = false;
      this.logger.warn({ err: (error as Error).message }, 'journal sync failed');
    }
    this.failures = landedAll ? 0 : this.failures + 1;
    this.schedule(
      landedAll ? this.baseDelayMs : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this.failures),
    );
  }
}
