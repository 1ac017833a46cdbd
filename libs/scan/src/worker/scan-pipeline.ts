import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AI_PROVIDER,
  AiStepFailed,
  AppConfig,
  Clock,
  jobLimitsOf,
  PermanentFailure,
  shouldRetry,
  type AiProvider,
  type ProviderRetryPolicy,
} from '#platform';
import { ImageUploads, InvalidImage } from '#storage';
import { DEFAULT_USER_INPUT, DisposalRules, WasteClassifier } from '#waste';
import { answerWithoutPhotoAnalysis, answerWithoutRules, DisposalAnswer } from './disposal-answer.js';
import { LandScanOutcome } from './land-scan-outcome.js';
import { JOB_TIMEOUT, ScanStepFailed, throwIfTimedOut } from './provider-retry.js';
import { ScanJobRepository } from '../scan-job.repository.js';
import { ScanProgress, type ScanStage, type StageChange } from '../scan-progress.js';
import type { ScanRequestedMessage } from '../scan-request.js';
import type { ScanFailure } from '../scan-result.types.js';
import { SCAN_LIMITS } from '../scan.env.js';
import { SharedStepCheckpoints } from './shared-step-checkpoints.js';
import { WorkerJournal, type JournalEntry, type StepCheckpoints } from './worker-journal.js';

const STEPS = ['vision', 'rule', 'answer'] as const satisfies readonly (keyof StepCheckpoints)[];

/**
 * One scan job, vision → rule → answer → reward, resumable: the journal (and, for other pods, the
 * shared store) holds each finished step, so a redelivered or resumed job continues after the last one
 * (no second provider call for a finished step). A job that cannot succeed ends `failed` with a reason the client sees, and its message is
 * dead-lettered (PermanentFailure); a transient failure is thrown for the queue to retry.
 */
@Injectable()
export class ScanPipeline {
  private readonly logger = new Logger(ScanPipeline.name);
  private readonly jobTimeoutMs: number;
  private readonly providerAttempts: number;
  private readonly providerRetryBaseMs: number;

  constructor(
    private readonly journal: WorkerJournal,
    private readonly sharedCheckpoints: SharedStepCheckpoints,
    private readonly progress: ScanProgress,
    private readonly jobs: ScanJobRepository,
    private readonly images: ImageUploads,
    private readonly classifier: WasteClassifier,
    private readonly rules: DisposalRules,
    private readonly answers: DisposalAnswer,
    private readonly landing: LandScanOutcome,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    @Inject(AppConfig) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.jobTimeoutMs = jobLimitsOf(config, SCAN_LIMITS).jobTimeoutMs;
    this.providerAttempts = config.int('SCAN_PROVIDER_ATTEMPTS');
    this.providerRetryBaseMs = config.int('SCAN_PROVIDER_RETRY_BASE_MS');
  }

  /** `lastAttempt`: the queue will not deliver again, so a transient failure must end the job too. */
  async run(message: ScanRequestedMessage, lastAttempt: boolean, maxRuns: number): Promise<void> {
    const known = this.journal.get(message.job_id);
    if (known && known.status !== 'running') return;
    // For a queued job (the common case) this one UPDATE is also the whole check that nobody finished it.
    const markedRunning = await this.jobs
      .markRunning(message.job_id, this.clock.now())
      .catch((error: Error) => {
        this.logger.warn({ jobId: message.job_id, err: error.message }, 'could not mark the job running');
        return false;
      });
    if (!known && !markedRunning && (await this.finishedElsewhere(message.job_id))) return;
    const entry = this.journal.begin(message, this.now());
    if (entry.status !== 'running') return;

    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(),
      Math.max(0, entry.startedAt + this.jobTimeoutMs - this.now()),
    );
    const stage: { current: ScanStage } = { current: 'queued' };
    try {
      const checkpoints = await this.runSteps(entry, stage, markedRunning, {
        attempts: this.providerAttempts,
        baseDelayMs: this.providerRetryBaseMs,
        signal: timeout.signal,
      });
      this.journal.finish(
        message.job_id,
        {
          kind: 'completed',
          provider: checkpoints.vision!.provider,
          latencyMs: this.now() - entry.startedAt,
        },
        this.now(),
      );
    } catch (error) {
      const failure = failureOf(error, timeout.signal);
      const last = lastAttempt || entry.runs >= maxRuns;
      if (shouldRetry({ transient: failure === null, lastAttempt: last, outputStreamed: false })) throw error;
      const reason = failure ?? { code: 'SCAN_FAILED', message: 'The scan could not be completed' };
      this.logger.warn(
        { jobId: message.job_id, stage: stage.current, reason, err: (error as Error).message },
        'scan job failed',
      );
      this.journal.finish(message.job_id, { kind: 'failed', failure: reason }, this.now());
      // The failure is journaled: landing it now or from the sync loop, the client will see it.
      await this.landing.land(this.journal.get(message.job_id)!);
      throw new PermanentFailure(`scan ${message.job_id} failed: ${reason.code}`);
    } finally {
      clearTimeout(timer);
    }
    await this.landing.land(this.journal.get(message.job_id)!);
  }

  /** `queuedUntilNow`: this run moved the job out of `queued`, so no pod has run a step of it yet. */
  private async runSteps(
    entry: JournalEntry,
    stage: { current: ScanStage },
    queuedUntilNow: boolean,
    policy: ProviderRetryPolicy,
  ): Promise<StepCheckpoints> {
    const jobId = entry.jobId;
    const done: StepCheckpoints = { ...entry.checkpoints };
    if (Object.keys(done).length === 0 && !queuedUntilNow) await this.adoptSharedCheckpoints(jobId, done);
    /** A finished step's `completed`, written with the next step's `started` (one write for both). */
    let finished: StageChange[] = [];
    const step = async <K extends keyof StepCheckpoints>(
      name: K,
      work: () => Promise<NonNullable<StepCheckpoints[K]>>,
    ): Promise<void> => {
      if (done[name]) return;
      stage.current = name;
      await this.progress.recordAll(jobId, [...finished, { stage: name, status: 'started' }]);
      finished = [];
      throwIfTimedOut(policy.signal);
      const value = await work();
      this.journal.checkpoint(jobId, name, value, this.now());
      done[name] = value;
      await this.sharedCheckpoints.save(jobId, done);
      finished = [{ stage: name, status: 'completed' }];
    };

    await step('vision', async () => {
      const image = await this.images.loadVerifiedImage(entry.message.image_key);
      const classification = await this.classifier.classify(
        {
          image: { bytes: image.bytes, mimeType: image.mimeType },
          text: entry.message.user_input?.trim() || DEFAULT_USER_INPUT,
          filename: image.filename ?? null,
        },
        policy,
      );
      return { classification, provider: this.provider.name };
    });
    await step('rule', async () => {
      const { major_category, middle_category } = done.vision!.classification.classification;
      return { rules: this.rules.forCategory(major_category, middle_category)?.document ?? null };
    });
    await step('answer', async () => {
      const rules = done.rule!.rules;
      // The offline provider never saw the photo: say so rather than blame the item (no rules found).
      const answer = rules
        ? await this.answers.compose({ classification: done.vision!.classification, rules }, policy)
        : done.vision!.provider === 'local'
          ? answerWithoutPhotoAnalysis()
          : answerWithoutRules();
      return { answer, provider: this.provider.name };
    });
    if (finished.length > 0) await this.progress.recordAll(jobId, finished);
    stage.current = 'reward';
    return done;
  }

  /** Steps another pod finished before this message was redelivered here. */
  private async adoptSharedCheckpoints(jobId: string, done: StepCheckpoints): Promise<void> {
    const shared = await this.sharedCheckpoints.load(jobId);
    for (const name of STEPS) {
      const value = shared[name];
      if (!value) continue;
      this.journal.checkpoint(jobId, name, value, this.now());
      Object.assign(done, { [name]: value });
    }
  }

  /** A job the database already shows finished (another worker, or a pruned journal entry). */
  private async finishedElsewhere(jobId: string): Promise<boolean> {
    const job = await this.jobs.findById(jobId).catch(() => undefined);
    if (job === undefined) return false;
    if (job === null) return true;
    if (job.status !== 'completed' && job.status !== 'failed') return false;
    await this.landing.announceFinished(job);
    return true;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

/** The client-facing reason when the failure is final by nature, or null when a retry may help. */
function failureOf(error: unknown, timeout: AbortSignal): ScanFailure | null {
  if (timeout.aborted) return { code: JOB_TIMEOUT, message: 'The scan took longer than allowed' };
  if (error instanceof ScanStepFailed || error instanceof AiStepFailed)
    return { code: error.code, message: error.message };
  if (error instanceof InvalidImage)
    return { code: 'INVALID_IMAGE', message: 'The uploaded file is not a usable image' };
  if (error instanceof PermanentFailure) return { code: 'SCAN_FAILED', message: error.message };
  return null;
}
