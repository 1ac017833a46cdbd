import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStub, type OpenAiStub } from '../../../test/support/openai-stub.js';
import {
  awaitScanResult,
  CLEAR_PET_ANSWER,
  CLEAR_PET_CLASSIFICATION,
  listenOnFreePort,
  readScanEvents,
  submitScan,
  uploadScanPhoto,
} from '../../../test/support/scan-flow.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import { plainJpeg, TEXT_FILE } from '../../storage/src/testing.js';

const JOB_BOUND_MS = 4000;

describe.each<Stack>(['embedded', 'production'])(
  'scan through the OpenAI client and a stub server (%s adapters)',
  (stack) => {
    let stub: OpenAiStub;
    let app: TestApp;
    let baseUrl: string;
    let user: TestUser;
    let photo: Buffer;

    beforeAll(async () => {
      stub = await startOpenAiStub();
      app = await bootTestApp(
        await envFor(stack, {
          APP_DOMAINS: 'scan',
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: stub.baseUrl,
          AI_TIMEOUT_MS: '1000',
          AI_MAX_RETRIES: '1',
          SCAN_JOB_TIMEOUT_MS: String(JOB_BOUND_MS),
          SCAN_PROVIDER_ATTEMPTS: '2',
          SCAN_PROVIDER_RETRY_BASE_MS: '50',
          OUTBOX_POLL_MS: '100',
          SCAN_SSE_POLL_MS: '50',
          SCAN_SSE_KEEPALIVE_MS: '200',
        }),
      );
      baseUrl = await listenOnFreePort(app);
      user = await createTestUser(app, 'stub-user');
      photo = await plainJpeg();
    });

    beforeEach(() => {
      stub.reset();
      stub.on('waste_classification', () => ({ json: CLEAR_PET_CLASSIFICATION }));
      stub.on('disposal_answer', () => ({ json: CLEAR_PET_ANSWER }));
    });

    afterAll(async () => {
      await app?.close();
      await stub?.close();
    });

    const submit = async (caller: TestUser, userInput = '라벨 떼고 헹궜어요', bytes = photo) => {
      const submitted = await submitScan(baseUrl, caller, {
        image_url: await uploadScanPhoto(baseUrl, caller, bytes),
        user_input: userInput,
      });
      expect(submitted.status).toBe(202);
      return submitted.body.job_id as string;
    };

    it('classifies a clear PET bottle as 무색페트병 with the PET rules and earns 페티 once', async () => {
      const pet = await createTestUser(app, 'pet');
      const result = await awaitScanResult(baseUrl, pet, await submit(pet));
      expect(result).toMatchObject({
        status: 'completed',
        provider: 'openai',
        pipeline_result: {
          classification_result: {
            classification: {
              major_category: '재활용폐기물',
              middle_category: '무색페트병',
              minor_category: '음료PET병',
            },
            situation_tags: ['비닐_라벨_완전_제거됨', '내용물_없음'],
            meta: { user_input: '라벨 떼고 헹궜어요' },
          },
          disposal_rules: { key: '무색페트병', 배출방법_공통: [expect.stringContaining('라벨')] },
          final_answer: {
            disposal_steps: {
              단계1: '라벨을 제거해요',
              단계2: expect.any(String),
              단계3: expect.any(String),
            },
            insufficiencies: [],
          },
        },
        reward: { name: '페티', received: true, already_owned: false },
      });
      const steps = (result.pipeline_result as { final_answer: { disposal_steps: object } }).final_answer
        .disposal_steps;
      expect(Object.keys(steps)).toEqual(['단계1', '단계2', '단계3']);
      const vision = stub.requests.find((r) => r.schemaName === 'waste_classification')!;
      expect(vision.hasImage).toBe(true);
      expect(vision.userText).toContain('라벨 떼고 헹궜어요');
      expect(vision.body.response_format).toMatchObject({
        type: 'json_schema',
        json_schema: { strict: true },
      });

      const second = await awaitScanResult(baseUrl, pet, await submit(pet));
      expect(second.reward).toMatchObject({ name: '페티', received: false, already_owned: true });
    });

    it('asks once more when the answer is outside the taxonomy, then settles on 미분류', async () => {
      stub.on('waste_classification', () => ({
        json: {
          ...CLEAR_PET_CLASSIFICATION,
          classification: {
            major_category: '재활용폐기물',
            middle_category: '우주쓰레기',
            minor_category: null,
          },
        },
      }));
      const result = await awaitScanResult(baseUrl, user, await submit(user));
      expect(stub.requests.filter((r) => r.schemaName === 'waste_classification')).toHaveLength(2);
      expect(result).toMatchObject({
        status: 'completed',
        reward: null,
        pipeline_result: {
          classification_result: { classification: { major_category: '미분류', minor_category: '미분류' } },
        },
      });
    });

    it('rides out provider 500s and 429s through the client’s retries', async () => {
      stub.queue({ status: 500 }, 1);
      stub.queue({ status: 429 }, 1);
      const result = await awaitScanResult(baseUrl, user, await submit(user));
      expect(result.status).toBe('completed');
    });

    it('fails visibly within the bound when the provider keeps answering garbage', async () => {
      stub.on('waste_classification', () => ({ content: '{"classification": oops' }));
      const started = Date.now();
      const jobId = await submit(user);
      const stream = await readScanEvents(baseUrl, user, jobId, { timeoutMs: JOB_BOUND_MS * 3 });
      expect(stream.closedByServer).toBe(true);
      expect(stream.events.at(-1)).toMatchObject({
        event: 'error',
        data: { job_id: jobId, stage: 'vision', status: 'failed', error: 'AI_PROVIDER_FAILED' },
      });
      expect(await awaitScanResult(baseUrl, user, jobId)).toMatchObject({
        status: 'failed',
        pipeline_result: null,
        reward: null,
        error: { code: 'AI_PROVIDER_FAILED', message: expect.any(String) },
      });
      expect(Date.now() - started).toBeLessThan(JOB_BOUND_MS * 2);
    });

    it('fails visibly within the bound when the provider never answers', async () => {
      stub.on('waste_classification', () => ({ delayMs: 60_000, json: CLEAR_PET_CLASSIFICATION }));
      const started = Date.now();
      const jobId = await submit(user);
      const stream = await readScanEvents(baseUrl, user, jobId, { timeoutMs: JOB_BOUND_MS * 3 });
      expect(stream.events.at(-1)).toMatchObject({ event: 'error', data: { status: 'failed' } });
      const result = await awaitScanResult(baseUrl, user, jobId);
      expect(result).toMatchObject({
        status: 'failed',
        error: { code: expect.stringMatching(/^(SCAN_TIMEOUT|AI_PROVIDER_FAILED)$/) },
      });
      expect(Date.now() - started).toBeLessThan(JOB_BOUND_MS + 3000);
      expect(
        await app.app.get((await import('#platform')).MESSAGE_BUS).deadLetters('scan.requested'),
      ).toContainEqual(expect.objectContaining({ job_id: jobId }));
    });

    it('never sends a text file posing as a JPEG to the provider', async () => {
      const imageUrl = await uploadScanPhoto(baseUrl, user, TEXT_FILE, 'notes.jpg');
      const submitted = await submitScan(baseUrl, user, { image_url: imageUrl, user_input: '페트병' });
      if (submitted.status === 202) {
        const result = await awaitScanResult(baseUrl, user, submitted.body.job_id as string);
        expect(result).toMatchObject({ status: 'failed', error: { code: 'INVALID_IMAGE' } });
      } else {
        expect(submitted.body).toMatchObject({ code: 'VALIDATION_ERROR' });
      }
      expect(stub.requests).toHaveLength(0);
    });

    it('resumes a stream after a disconnect with Last-Event-ID: the missed events, then the rest, once each', async () => {
      stub.on('disposal_answer', () => ({ delayMs: 700, json: CLEAR_PET_ANSWER }));
      const jobId = await submit(user);
      const first = await readScanEvents(baseUrl, user, jobId, {
        stopAfter: (events) => events.some((e) => e.data.stage === 'vision' && e.data.status === 'completed'),
      });
      expect(first.closedByServer).toBe(false);
      const lastId = first.events.at(-1)!.id!;
      const rest = await readScanEvents(baseUrl, user, jobId, { lastEventId: lastId });
      expect(rest.closedByServer).toBe(true);
      expect(rest.comments).toBeGreaterThan(0);
      const seqs = [...first.events, ...rest.events].map((e) => e.data.seq as number);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(rest.events[0].data.seq).toBeGreaterThan(Number(lastId));
      expect(seqs.slice(seqs.indexOf(11))).toEqual([11, 20, 21, 30, 31, 40, 41, 51]);
      expect(rest.events.at(-1)?.event).toBe('done');
    });
  },
);
