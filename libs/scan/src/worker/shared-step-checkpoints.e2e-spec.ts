import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStub, type OpenAiStub } from '../../../../test/support/openai-stub.js';
import {
  awaitScanResult,
  CLEAR_PET_ANSWER,
  CLEAR_PET_CLASSIFICATION,
  listenOnFreePort,
  submitScan,
  uploadScanPhoto,
} from '../../../../test/support/scan-flow.js';
import { bootTestApp, embeddedEnv, productionEnv, type TestApp } from '../../../../test/support/test-app.js';
import { waitUntil } from '../../../../test/support/wait.js';
import { createTestUser } from '../../../../test/support/test-tokens.js';
import { plainJpeg } from '../../../storage/src/testing.js';
import { ScanPipeline } from './scan-pipeline.js';
import { ScanProgress } from '../scan-progress.js';
import { SharedStepCheckpoints } from './shared-step-checkpoints.js';
import { WorkerJournal } from './worker-journal.js';

describe('a job redelivered to another AI pod resumes after the last finished step (production adapters)', () => {
  let stub: OpenAiStub;
  let podA: TestApp;
  let podB: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    stub = await startOpenAiStub();
    const env = await productionEnv({
      APP_DOMAINS: 'scan',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: stub.baseUrl,
      OUTBOX_POLL_MS: '100',
      SCAN_JOB_TIMEOUT_MS: '120000',
    });
    podA = await bootTestApp(env);
    baseUrl = await listenOnFreePort(podA);
    // Same database, Redis and broker; its own state folder, so its journal knows nothing of pod A's work.
    podB = await bootTestApp({
      ...env,
      STATE_DIR: embeddedEnv().STATE_DIR,
      APP_ROLE: 'worker',
      WORKER_ROLES: 'ai',
    });
  }, 60_000);

  afterAll(async () => {
    await podB?.close();
    await podA?.close();
    await stub?.close();
  });

  it('makes no second vision call and grants the reward once when both pods finish', async () => {
    let releasePodA!: () => void;
    const podAHeld = new Promise<void>((resolve) => (releasePodA = resolve));
    let answers = 0;
    stub.reset();
    stub.on('waste_classification', () => ({ json: CLEAR_PET_CLASSIFICATION }));
    stub.on('disposal_answer', async () => {
      // The first answer call (pod A's) stalls, as if that pod died mid-step.
      if (answers++ === 0) await podAHeld;
      return { json: CLEAR_PET_ANSWER };
    });
    const user = await createTestUser(podA, 'shared-checkpoints');
    const submitted = await submitScan(baseUrl, user, {
      image_url: await uploadScanPhoto(baseUrl, user, await plainJpeg()),
      user_input: '라벨 떼고 헹궜어요',
    });
    const jobId = submitted.body.job_id as string;
    const progress = podA.app.get(ScanProgress);
    await waitUntil(
      async () => ((await progress.latest(jobId))?.seq ?? 0) >= 30,
      30_000,
      'pod A in its answer step',
    );
    const visionCalls = (): number =>
      stub.requests.filter((r) => r.schemaName === 'waste_classification').length;
    expect(visionCalls()).toBe(1);
    expect(Object.keys(await podB.app.get(SharedStepCheckpoints).load(jobId)).sort()).toEqual([
      'rule',
      'vision',
    ]);

    // The broker redelivers the message to pod B.
    const [{ image_key: imageKey }] = (await podA.app
      .get(DataSource)
      .query(`SELECT image_key FROM scan_jobs WHERE id = $1`, [jobId])) as { image_key: string }[];
    await podB.app
      .get(ScanPipeline)
      .run(
        { job_id: jobId, user_id: user.id, image_key: imageKey, user_input: '라벨 떼고 헹궜어요' },
        false,
        5,
      );
    expect(visionCalls()).toBe(1);
    const result = await awaitScanResult(baseUrl, user, jobId, 30_000);
    expect(result).toMatchObject({ status: 'completed', reward: { name: '페티', received: true } });

    releasePodA();
    const journalA = podA.app.get(WorkerJournal);
    await waitUntil(
      async () => journalA.get(jobId)?.status !== 'running',
      30_000,
      'pod A to finish its stalled job',
    );
    const [{ n }] = (await podA.app
      .get(DataSource)
      .query(
        `SELECT count(*) AS n FROM character_ownerships WHERE user_id = $1 AND character_code = 'char-petty'`,
        [user.id],
      )) as { n: string }[];
    expect(Number(n)).toBe(1);
    expect(visionCalls()).toBe(1);
  });
});
