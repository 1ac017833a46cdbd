import { Injectable } from '@nestjs/common';
import { Clock, PeriodicRunner } from '#platform';
import { LandScanOutcome } from './land-scan-outcome.js';
import { WorkerJournal } from './worker-journal.js';

const BATCH = 100;
const PRUNE_EVERY_MS = 60_000;

/**
 * Lands journaled outcomes the database could not take when the job finished (it was down), oldest
 * first, backing off while it stays down; prunes synced entries past their retention.
 */
@Injectable()
export class JournalSync {
  private lastPrune = 0;

  constructor(
    private readonly journal: WorkerJournal,
    private readonly landing: LandScanOutcome,
    private readonly clock: Clock,
    runner: PeriodicRunner,
  ) {
    runner.schedule({
      name: 'scan-journal-sync',
      everyMs: 'WORKER_JOURNAL_SYNC_MS',
      // While the database stays down, each failed run doubles the pause (at most 32 intervals, 30 s).
      maxBackoffMs: (everyMs) => Math.min(30_000, everyMs * 32),
      run: (signal) => this.syncOnce(signal),
    });
  }

  private async syncOnce(signal: AbortSignal): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.journal.prune(now);
    }
    for (const entry of this.journal.awaitingSync(BATCH)) {
      if (signal.aborted) return;
      // Oldest first: the rest waits until the database takes this one.
      if (!(await this.landing.land(entry))) throw new Error('the database did not take a journaled outcome');
    }
  }
}
