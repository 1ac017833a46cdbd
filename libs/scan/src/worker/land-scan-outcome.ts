import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '#platform';
import { RecordScanOutcome } from './record-scan-outcome.js';
import type { ScanJob } from '../scan-job.entity.js';
import { ScanJobRepository } from '../scan-job.repository.js';
import { isTerminal, ScanProgress } from '../scan-progress.js';
import { completedResultOf, finishedResultOf, type CompletedResultBody } from '../scan-result-view.js';
import type { PipelineResult } from '../scan-result.types.js';
import { WorkerJournal, type JournalEntry, type JournalOutcome } from './worker-journal.js';

/**
 * Moves a finished job from the worker's journal into the database, then tells the client: the result
 * row is written before `done` (or `error`) is published, because the app fetches `/result` on `done`.
 * Until every part succeeded the entry stays in the journal and the sync loop tries again.
 */
@Injectable()
export class LandScanOutcome {
  private readonly logger = new Logger(LandScanOutcome.name);
  private readonly landings = new Map<string, Promise<boolean>>();

  constructor(
    private readonly journal: WorkerJournal,
    private readonly record: RecordScanOutcome,
    private readonly jobs: ScanJobRepository,
    private readonly progress: ScanProgress,
    private readonly clock: Clock,
  ) {}

  /**
   * True when the outcome is in the database and announced; false when it has to wait. A landing of
   * the job already under way in this process is joined, not repeated: the sync loop lists an entry
   * from the moment the pipeline journals it finished, while the pipeline is still landing it.
   */
  land(entry: JournalEntry): Promise<boolean> {
    const underWay = this.landings.get(entry.jobId);
    if (underWay) return underWay;
    const landing = this.landOnce(entry).finally(() => this.landings.delete(entry.jobId));
    this.landings.set(entry.jobId, landing);
    return landing;
  }

  private async landOnce(entry: JournalEntry): Promise<boolean> {
    const outcome = entry.outcome;
    if (!outcome) return false;
    try {
      let completedHere: CompletedResultBody | undefined;
      if (outcome.kind === 'completed') {
        await this.progress.record(entry.jobId, 'reward', 'started');
        completedHere = await this.recordCompleted(entry, outcome);
      } else {
        await this.record.failed(entry.jobId, outcome.failure, this.clock.now());
      }
      // A job this landing completed closes with what it wrote; any other from its row.
      if (completedHere) await this.announceCompleted(entry.jobId, completedHere);
      else {
        const job = await this.jobs.findById(entry.jobId);
        if (job) await this.announceFinished(job);
      }
      this.journal.markSynced(entry.jobId, this.clock.now().getTime());
      return true;
    } catch (error) {
      this.logger.warn(
        { jobId: entry.jobId, err: (error as Error).message },
        'scan outcome waits in the journal',
      );
      return false;
    }
  }

  /** Publishes the closing event of a finished job unless the stream already has one. */
  async announceFinished(job: ScanJob): Promise<void> {
    const result = finishedResultOf(job);
    if (!result) return;
    const latest = await this.progress.latest(job.id);
    if (latest && isTerminal(latest)) return;
    if (result.status === 'completed') {
      await this.announceCompleted(job.id, result);
    } else {
      const stage = latest && latest.stage !== 'done' ? latest.stage : 'queued';
      await this.progress.record(job.id, stage, 'failed', {
        error: result.error.code,
        message: result.error.message,
        result,
      });
    }
  }

  /** The result of the job when this call completed it; undefined when it was finished before. */
  private async recordCompleted(
    entry: JournalEntry,
    { provider, latencyMs }: Extract<JournalOutcome, { kind: 'completed' }>,
  ): Promise<CompletedResultBody | undefined> {
    const pipelineResult = pipelineResultOf(entry);
    const written = await this.record.completed({
      jobId: entry.jobId,
      userId: entry.message.user_id,
      pipelineResult,
      provider,
      latencyMs,
      completedAt: this.clock.now(),
    });
    return written && completedResultOf({ id: entry.jobId, pipelineResult, provider, latencyMs, ...written });
  }

  private async announceCompleted(jobId: string, result: CompletedResultBody): Promise<void> {
    await this.progress.recordAll(jobId, [
      { stage: 'reward', status: 'completed' },
      { stage: 'done', status: 'completed', result },
    ]);
  }
}

export function pipelineResultOf(entry: JournalEntry): PipelineResult {
  const { vision, rule, answer } = entry.checkpoints;
  if (!vision || !rule || !answer) throw new Error(`journal entry ${entry.jobId} has unfinished steps`);
  return {
    classification_result: vision.classification,
    disposal_rules: rule.rules,
    final_answer: answer.answer,
  };
}
