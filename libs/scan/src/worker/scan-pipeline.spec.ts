import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AiProviderError,
  AppConfig,
  InMemoryKeyValueStore,
  JobEventLogs,
  PermanentFailure,
  PLATFORM_ENV,
  type AiProvider,
  type Clock,
  type Transactions,
} from '#platform';
import type { CharacterOwnerships } from '#character';
import { InvalidImage, type ImageUploads } from '#storage';
import { RECYCLABLE, type DisposalRules, type WasteClassifier } from '#waste';
import type { DisposalAnswer } from './disposal-answer.js';
import { LandScanOutcome } from './land-scan-outcome.js';
import { ScanStepFailed } from './provider-retry.js';
import { RecordScanOutcome } from './record-scan-outcome.js';
import type { ScanJob } from '../scan-job.entity.js';
import type { CompletedScan, ScanJobRepository } from '../scan-job.repository.js';
import { ScanPipeline } from './scan-pipeline.js';
import { ScanProgress } from '../scan-progress.js';
import type { ScanRequestedMessage } from '../scan-request.js';
import type {
  ClassificationResult,
  DisposalRuleDocument,
  FinalAnswer,
  ScanFailure,
} from '../scan-result.types.js';
import { SCAN_ENV } from '../scan.env.js';
import { SharedStepCheckpoints } from './shared-step-checkpoints.js';
import { WorkerJournal } from './worker-journal.js';

/*
 * The scan pipeline's rules with every port faked in memory (no database, broker or key-value server):
 * resume after each step, which failures are retried, and the reward granted at most once. The
 * journal is the real SQLite file the AI worker keeps on its volume.
 */

const MAX_RUNS = 3;
const CLASSIFICATION: ClassificationResult = {
  classification: { major_category: RECYCLABLE, middle_category: '무색페트병', minor_category: '생수병' },
  situation_tags: [],
  meta: { user_input: '이거 어떻게 버려?' },
};
const RULES = {
  key: 'pet',
  category: RECYCLABLE,
  이름: '무색페트병',
  대상_품목: [],
  세부_품목: {},
} as unknown as DisposalRuleDocument;
const ANSWER: FinalAnswer = {
  disposal_steps: { 단계1: '헹구기' },
  insufficiencies: [],
  user_answer: '헹궈서 버려요',
};

/** A failure a step throws once, on its first call. */
type Script = Partial<Record<'vision' | 'rule' | 'answer' | 'reward', Error>>;

class FakeJobs {
  readonly rows = new Map<string, { status: string; reward?: unknown; failure?: ScanFailure }>();
  failCompletionOnce?: Error;

  /** The database's rule: only a queued job moves to running. */
  async markRunning(id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (row?.status !== 'queued') return false;
    row.status = 'running';
    return true;
  }
  async findById(id: string): Promise<ScanJob | null> {
    const row = this.rows.get(id);
    if (!row) return null;
    return {
      id,
      status: row.status,
      pipelineResult: row.status === 'completed' ? {} : null,
      error: row.failure ?? null,
      reward: row.reward ?? null,
      completedAt: new Date(),
      updatedAt: new Date(),
    } as unknown as ScanJob;
  }
  /** The database's rule: only an unfinished job moves to completed. */
  async completeIfUnfinished(_manager: unknown, id: string, _scan: CompletedScan): Promise<boolean> {
    if (this.failCompletionOnce) {
      const error = this.failCompletionOnce;
      this.failCompletionOnce = undefined;
      throw error;
    }
    const row = this.rows.get(id)!;
    if (row.status === 'completed' || row.status === 'failed') return false;
    row.status = 'completed';
    return true;
  }
  async setReward(_manager: unknown, id: string, reward: unknown): Promise<void> {
    this.rows.get(id)!.reward = reward;
  }
  async failIfUnfinished(id: string, failure: ScanFailure): Promise<boolean> {
    const row = this.rows.get(id)!;
    if (row.status === 'completed' || row.status === 'failed') return false;
    Object.assign(row, { status: 'failed', failure });
    return true;
  }
}

/** One AI worker pod: its own journal file, sharing the key-value store and the database with others. */
class Pod {
  readonly calls = { vision: 0, rule: 0, answer: 0 };
  readonly pipeline: ScanPipeline;
  readonly landing: LandScanOutcome;
  readonly journal: WorkerJournal;

  constructor(
    dir: string,
    name: string,
    world: {
      kv: InMemoryKeyValueStore;
      jobs: FakeJobs;
      grants: string[];
      script: Script;
      timeoutMs?: number;
    },
  ) {
    const config = AppConfig.load([...PLATFORM_ENV, ...SCAN_ENV], {
      WORKER_JOURNAL_PATH: join(dir, `${name}.sqlite`),
      SCAN_PROVIDER_ATTEMPTS: '1',
      SCAN_PROVIDER_RETRY_BASE_MS: '0',
      SCAN_JOB_TIMEOUT_MS: String(world.timeoutMs ?? 60_000),
    });
    const clock: Clock = { now: () => new Date() } as Clock;
    const failOnce = (step: keyof Script): void => {
      const error = world.script[step];
      if (!error) return;
      delete world.script[step];
      throw error;
    };
    this.journal = new WorkerJournal(config);
    const progress = new ScanProgress(new JobEventLogs(world.kv, config), clock);
    const jobs = world.jobs as unknown as ScanJobRepository;
    const ownerships = {
      findByMatchLabel: async (label: string) => ({
        code: 'pet',
        name: '페티',
        dialog: '안녕',
        typeLabel: label,
      }),
      grant: async (userId: string) => {
        world.grants.push(userId);
        return { received: true, alreadyOwned: false };
      },
    } as unknown as CharacterOwnerships;
    const transactions = {
      run: (work: (manager: unknown) => Promise<unknown>) => work({}),
    } as unknown as Transactions;
    this.landing = new LandScanOutcome(
      this.journal,
      new RecordScanOutcome(transactions, jobs, ownerships),
      jobs,
      progress,
      clock,
    );
    const classifier = {
      classify: async () => {
        this.calls.vision++;
        failOnce('vision');
        return CLASSIFICATION;
      },
    } as unknown as WasteClassifier;
    const rules = {
      forCategory: () => {
        this.calls.rule++;
        failOnce('rule');
        return { document: RULES };
      },
    } as unknown as DisposalRules;
    const answers = {
      compose: async () => {
        this.calls.answer++;
        failOnce('answer');
        return ANSWER;
      },
    } as unknown as DisposalAnswer;
    const images = {
      loadVerifiedImage: async () => ({
        bytes: Buffer.from('img'),
        mimeType: 'image/png',
        filename: 'a.png',
      }),
    } as unknown as ImageUploads;
    world.jobs.failCompletionOnce = world.script.reward;
    this.pipeline = new ScanPipeline(
      this.journal,
      new SharedStepCheckpoints(world.kv),
      progress,
      jobs,
      images,
      classifier,
      rules,
      answers,
      this.landing,
      { name: 'fake' } as unknown as AiProvider,
      config,
      clock,
    );
  }

  run(message: ScanRequestedMessage, lastAttempt = false): Promise<void> {
    return this.pipeline.run(message, lastAttempt, MAX_RUNS);
  }
}

describe('scan pipeline rules (fake ports)', () => {
  let dir: string;
  let kv: InMemoryKeyValueStore;
  let jobs: FakeJobs;
  let grants: string[];
  let jobCounter = 0;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scan-pipeline-'));
    kv = new InMemoryKeyValueStore({ now: () => new Date() } as Clock);
    jobs = new FakeJobs();
    grants = [];
  });
  afterEach(async () => {
    await kv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function newJob(): ScanRequestedMessage {
    const job_id = `job-${++jobCounter}`;
    jobs.rows.set(job_id, { status: 'queued' });
    return { job_id, user_id: 'user-1', image_key: 'k', user_input: null };
  }
  const pod = (name: string, script: Script = {}, timeoutMs?: number): Pod =>
    new Pod(dir, name, { kv, jobs, grants, script, timeoutMs });
  const transient = (): Error => new Error('connection reset');

  describe('resumes after the last finished step', () => {
    it.each([
      ['vision', { vision: 0, rule: 0, answer: 0 }],
      ['rule', { vision: 1, rule: 0, answer: 0 }],
      ['answer', { vision: 1, rule: 1, answer: 0 }],
    ] as const)(
      'a transient failure in %s is retried, and the next delivery repeats no finished step',
      async (step, before) => {
        const worker = pod('a', { [step]: transient() });
        const message = newJob();
        await expect(worker.run(message)).rejects.toThrow('connection reset');
        expect(jobs.rows.get(message.job_id)!.status).toBe('running');
        const callsAfterFirst = { ...worker.calls };
        await worker.run(message);
        // Each step ran once to success; only the failed step ran a second time.
        expect(worker.calls).toEqual({ vision: 1, rule: 1, answer: 1, [step]: 2 });
        expect({ ...callsAfterFirst, [step]: 0 }).toEqual({ ...before, [step]: 0 });
        expect(jobs.rows.get(message.job_id)!.status).toBe('completed');
        expect(grants).toEqual(['user-1']);
      },
    );

    it('reward: a database failure after every step keeps the outcome in the journal; landing it later reruns nothing', async () => {
      const worker = pod('a', { reward: transient() });
      const message = newJob();
      await worker.run(message);
      expect(jobs.rows.get(message.job_id)!.status).toBe('running');
      expect(worker.journal.get(message.job_id)!.status).toBe('awaiting_sync');
      // The redelivered message finds the job finished in the journal: no step runs again.
      await worker.run(message);
      expect(worker.calls).toEqual({ vision: 1, rule: 1, answer: 1 });
      // The sync loop lands it once the database is back.
      expect(await worker.landing.land(worker.journal.get(message.job_id)!)).toBe(true);
      expect(jobs.rows.get(message.job_id)!.status).toBe('completed');
      expect(grants).toEqual(['user-1']);
    });

    it('another pod picks up after the steps the first one finished (shared checkpoints)', async () => {
      const first = pod('a', { answer: transient() });
      const message = newJob();
      await expect(first.run(message)).rejects.toThrow();
      const second = pod('b');
      await second.run(message);
      expect(second.calls).toEqual({ vision: 0, rule: 0, answer: 1 });
      expect(jobs.rows.get(message.job_id)!.status).toBe('completed');
    });
  });

  describe('retry classification', () => {
    it('a transient failure on the last delivery ends the job failed, for the client to see', async () => {
      const worker = pod('a', { vision: transient() });
      const message = newJob();
      await expect(worker.run(message, true)).rejects.toBeInstanceOf(PermanentFailure);
      expect(jobs.rows.get(message.job_id)).toMatchObject({
        status: 'failed',
        failure: { code: 'SCAN_FAILED' },
      });
    });

    it('a transient failure once the job used its own run budget also ends it', async () => {
      const worker = pod('a', {});
      const message = newJob();
      let failures = MAX_RUNS;
      const script = (): void => {
        if (failures-- > 0) throw transient();
      };
      // Every run fails in vision; the run that spends the budget ends the job.
      (
        worker.pipeline as unknown as { classifier: { classify: () => Promise<unknown> } }
      ).classifier.classify = async () => {
        worker.calls.vision++;
        script();
        return CLASSIFICATION;
      };
      for (let run = 1; run < MAX_RUNS; run++)
        await expect(worker.run(message)).rejects.toThrow('connection reset');
      await expect(worker.run(message)).rejects.toBeInstanceOf(PermanentFailure);
      expect(jobs.rows.get(message.job_id)!.status).toBe('failed');
    });

    it.each([
      [
        'a provider that keeps failing',
        new ScanStepFailed('AI_PROVIDER_FAILED', 'AI provider failed'),
        'AI_PROVIDER_FAILED',
      ],
      ['an upload that is not an image', new InvalidImage('not an image'), 'INVALID_IMAGE'],
      ['any other permanent failure', new PermanentFailure('no'), 'SCAN_FAILED'],
    ])('%s fails the job on the first delivery, no retry', async (_name, error, code) => {
      const worker = pod('a', { vision: error });
      const message = newJob();
      await expect(worker.run(message)).rejects.toBeInstanceOf(PermanentFailure);
      expect(jobs.rows.get(message.job_id)).toMatchObject({ status: 'failed', failure: { code } });
      // A redelivery of the dead-lettered message changes nothing.
      await worker.run(message);
      expect(worker.calls.vision).toBe(1);
    });

    it('a job past its overall bound fails with SCAN_TIMEOUT, not a retry', async () => {
      const worker = pod('a', {}, 1000);
      const message = newJob();
      (
        worker.pipeline as unknown as { classifier: { classify: () => Promise<unknown> } }
      ).classifier.classify = () =>
        new Promise((_, reject) => setTimeout(() => reject(new AiProviderError('late', true)), 1200));
      await expect(worker.run(message)).rejects.toBeInstanceOf(PermanentFailure);
      expect(jobs.rows.get(message.job_id)).toMatchObject({
        status: 'failed',
        failure: { code: 'SCAN_TIMEOUT' },
      });
    });
  });

  describe('reward at most once', () => {
    it('a redelivered or resumed finished job grants nothing more', async () => {
      const worker = pod('a');
      const message = newJob();
      await worker.run(message);
      await worker.run(message);
      await worker.landing.land(worker.journal.get(message.job_id)!);
      expect(grants).toEqual(['user-1']);
    });

    it('a landing under way is joined, not repeated (the sync loop finds an entry the pipeline is landing)', async () => {
      const worker = pod('a', { reward: transient() });
      const message = newJob();
      await worker.run(message);
      const entry = worker.journal.get(message.job_id)!;
      const completions = vi.spyOn(jobs, 'completeIfUnfinished');
      const [first, second] = await Promise.all([worker.landing.land(entry), worker.landing.land(entry)]);
      expect([first, second]).toEqual([true, true]);
      expect(completions).toHaveBeenCalledTimes(1);
      expect(grants).toEqual(['user-1']);
    });

    it('two pods finishing the same job grant once: the second completion changes nothing', async () => {
      const message = newJob();
      const [a, b] = [pod('a'), pod('b')];
      await Promise.all([a.run(message), b.run(message)]);
      expect(jobs.rows.get(message.job_id)!.status).toBe('completed');
      expect(grants).toEqual(['user-1']);
    });

    it('closes the stream of a job it completed with what it wrote, without reading the row back', async () => {
      const message = newJob();
      const reads = vi.spyOn(jobs, 'findById');
      await pod('a').run(message);
      expect(reads).not.toHaveBeenCalled();
      const done = JSON.parse((await kv.range(`scan:events:${message.job_id}`, 0)).at(-1)!) as {
        stage: string;
        result: { task_id: string; status: string; reward: { code: string; received: boolean } };
      };
      expect(done).toMatchObject({
        stage: 'done',
        result: { task_id: message.job_id, status: 'completed', reward: { code: 'pet', received: true } },
      });
    });

    it('the closing event is logged once, also when the finished job is delivered to another pod', async () => {
      const message = newJob();
      await pod('a').run(message);
      const other = pod('b');
      await other.run(message);
      expect(other.calls).toEqual({ vision: 0, rule: 0, answer: 0 });
      const logged = (await kv.range(`scan:events:${message.job_id}`, 0)).map(
        (raw) => JSON.parse(raw) as { seq: number },
      );
      expect(logged.map((e) => e.seq)).toEqual([10, 11, 20, 21, 30, 31, 40, 41, 51]);
      expect(grants).toEqual(['user-1']);
    });
  });
});
