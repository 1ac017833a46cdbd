import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitScanResult,
  listenOnFreePort,
  readScanEvents,
  submitScan,
  uploadScanPhoto,
  type SseEvent,
} from '../../../test/support/scan-flow.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '#platform';
import { plainJpeg, plainPng, TEXT_FILE } from '../../storage/src/testing.js';

const FULL_SEQUENCE = [
  ['queued', 'started', 0],
  ['vision', 'started', 10],
  ['vision', 'completed', 11],
  ['rule', 'started', 20],
  ['rule', 'completed', 21],
  ['answer', 'started', 30],
  ['answer', 'completed', 31],
  ['reward', 'started', 40],
  ['reward', 'completed', 41],
  ['done', 'completed', 51],
];
const shape = (events: SseEvent[]) => events.map((e) => [e.data.stage, e.data.status, e.data.seq]);

describe.each<Stack>(['embedded', 'production'])('scan with the offline provider (%s adapters)', (stack) => {
  let app: TestApp;
  let baseUrl: string;
  let alice: TestUser;
  let bob: TestUser;
  let photo: Buffer;

  beforeAll(async () => {
    app = await bootTestApp(
      await envFor(stack, {
        APP_DOMAINS: 'scan,my',
        OUTBOX_POLL_MS: '100',
        SCAN_SSE_POLL_MS: '50',
        SCAN_SSE_RECORD_CHECK_MS: '300',
      }),
    );
    baseUrl = await listenOnFreePort(app);
    alice = await createTestUser(app, 'alice');
    bob = await createTestUser(app, 'bob');
    photo = await plainJpeg();
  });

  afterAll(() => app?.close());

  const scan = async (caller: TestUser, userInput: string, filename = 'photo.jpg') => {
    const imageUrl = await uploadScanPhoto(baseUrl, caller, photo, filename);
    const submitted = await submitScan(baseUrl, caller, { image_url: imageUrl, user_input: userInput });
    expect(submitted.status).toBe(202);
    return submitted.body.job_id as string;
  };

  it('runs presign → upload → submit → SSE → result and grants 페티 once for a clear PET bottle', async () => {
    const imageUrl = await uploadScanPhoto(baseUrl, alice, photo, 'bottle.jpg');
    const submitted = await submitScan(baseUrl, alice, {
      image_url: imageUrl,
      user_input: '투명 페트병이에요. 라벨 떼고 헹궜어요',
      model: 'gpt-5.2',
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.job_id as string;
    expect(submitted.body).toEqual({
      job_id: jobId,
      status: 'queued',
      stream_url: `/api/v1/scan/${jobId}/events`,
      result_url: `/api/v1/scan/${jobId}/result`,
    });
    // The app takes the job id from result_url's second-to-last segment.
    expect((submitted.body.result_url as string).split('/').at(-2)).toBe(jobId);

    const stream = await readScanEvents(baseUrl, alice, jobId);
    expect(stream.closedByServer).toBe(true);
    expect(shape(stream.events)).toEqual(
      // A client may connect after `queued`/`vision started`; whatever it sees is in order and ends in done.
      FULL_SEQUENCE.slice(FULL_SEQUENCE.length - stream.events.length),
    );
    expect(stream.events.map((e) => Number(e.id))).toEqual(stream.events.map((e) => e.data.seq));
    const done = stream.events.at(-1)!;
    expect(done.event).toBe('done');

    const result = await awaitScanResult(baseUrl, alice, jobId);
    expect(done.data.result).toEqual(result);
    expect(result).toMatchObject({
      task_id: jobId,
      status: 'completed',
      error: null,
      provider: 'local',
      latency_ms: expect.any(Number),
      pipeline_result: {
        classification_result: {
          classification: {
            major_category: '재활용폐기물',
            middle_category: '무색페트병',
            minor_category: expect.any(String),
          },
          meta: { user_input: '투명 페트병이에요. 라벨 떼고 헹궜어요' },
        },
        disposal_rules: { key: '무색페트병', category: '재활용폐기물' },
        final_answer: { insufficiencies: [], user_answer: expect.any(String) },
      },
      reward: {
        code: 'char-petty',
        name: '페티',
        received: true,
        already_owned: false,
        match_reason: expect.stringMatching(/^무색페트병/),
      },
    });
    const steps = (result.pipeline_result as { final_answer: { disposal_steps: Record<string, string> } })
      .final_answer.disposal_steps;
    expect(Object.keys(steps)[0]).toBe('단계1');

    const owned = await fetch(`${baseUrl}/api/v1/users/me/characters`, {
      headers: { authorization: alice.bearer },
    });
    expect(((await owned.json()) as { name: string }[]).map((c) => c.name)).toContain('페티');

    const again = await awaitScanResult(
      baseUrl,
      alice,
      await scan(alice, '투명 페트병이에요. 라벨 떼고 헹궜어요'),
    );
    expect(again.reward).toMatchObject({ name: '페티', received: false, already_owned: true });

    const status = await fetch(`${baseUrl}/api/v1/scan/${jobId}`, {
      headers: { authorization: alice.bearer },
    });
    expect(await status.json()).toMatchObject({
      job_id: jobId,
      status: 'completed',
      stage: 'done',
      progress: 100,
    });
  });

  it('keeps the reward key as null when something is left to do, and classifies from English file names', async () => {
    const labelled = await awaitScanResult(
      baseUrl,
      bob,
      await scan(bob, '페트병인데 라벨이 그대로 붙어 있어요'),
    );
    expect(labelled.status).toBe('completed');
    expect(
      (labelled.pipeline_result as { final_answer: { insufficiencies: string[] } }).final_answer
        .insufficiencies,
    ).not.toEqual([]);
    expect(labelled).toHaveProperty('reward', null);

    const can = await awaitScanResult(baseUrl, bob, await scan(bob, '', 'empty soda can.jpg'));
    expect(can).toMatchObject({
      pipeline_result: {
        classification_result: {
          classification: { major_category: '재활용폐기물', middle_category: '금속류' },
        },
      },
      reward: { name: '메탈리' },
    });

    const unknown = await awaitScanResult(baseUrl, bob, await scan(bob, '이게 뭘까요'));
    expect(unknown).toMatchObject({
      status: 'completed',
      reward: null,
      pipeline_result: {
        classification_result: { classification: { major_category: '미분류', minor_category: '미분류' } },
        disposal_rules: null,
      },
    });
  });

  it('says honestly, for a camera photo with no words, that the offline mode cannot analyse photos', async () => {
    // What the app sends from the camera: image_<timestamp>.png and no text.
    const imageUrl = await uploadScanPhoto(
      baseUrl,
      bob,
      await plainPng(),
      'image_1733000000000.png',
      'image/png',
    );
    const submitted = await submitScan(baseUrl, bob, { image_url: imageUrl });
    expect(submitted.status).toBe(202);
    const result = await awaitScanResult(baseUrl, bob, submitted.body.job_id as string);
    expect(result).toMatchObject({
      status: 'completed',
      provider: 'local',
      error: null,
      reward: null,
      pipeline_result: {
        classification_result: {
          classification: { major_category: '미분류', middle_category: '미분류', minor_category: '미분류' },
          situation_tags: expect.any(Array),
          meta: { user_input: expect.any(String) },
        },
        disposal_rules: null,
        final_answer: { disposal_steps: {} },
      },
    });
    const { final_answer: answer } = result.pipeline_result as {
      final_answer: { insufficiencies: string[]; user_answer: string };
    };
    expect(answer.user_answer).toMatch(/오프라인/);
    expect(answer.user_answer).toMatch(/사진을 분석하지 못했어요/);
    expect(answer.user_answer).toMatch(/검색/);
    expect(answer.user_answer).toMatch(/채팅에서 이코/);
    expect(answer.insufficiencies).toHaveLength(1);
    expect(answer.insufficiencies[0]).toMatch(/^사진 분석 불가/);
  });

  it('fails a job whose upload is not an image, visibly on the stream and the result', async () => {
    const imageUrl = await uploadScanPhoto(baseUrl, bob, TEXT_FILE, 'list.jpg');
    const submitted = await submitScan(baseUrl, bob, { image_url: imageUrl, user_input: '페트병' });
    if (submitted.status === 400) {
      // The storage worker may already have rejected the file: refused at submit, never queued.
      expect(submitted.body).toMatchObject({ code: 'VALIDATION_ERROR' });
      return;
    }
    const jobId = submitted.body.job_id as string;
    const stream = await readScanEvents(baseUrl, bob, jobId);
    expect(stream.events.at(-1)).toMatchObject({
      event: 'error',
      data: { status: 'failed', error: 'INVALID_IMAGE' },
    });
    expect(await awaitScanResult(baseUrl, bob, jobId)).toMatchObject({
      status: 'failed',
      pipeline_result: null,
      reward: null,
      error: { code: 'INVALID_IMAGE' },
    });
  });

  it('ends the streams of finished jobs whose events expired with the done rebuilt from their records', async () => {
    const jobIds = await Promise.all([scan(alice, '유리병'), scan(alice, '투명 페트병')]);
    const results = await Promise.all(jobIds.map((jobId) => awaitScanResult(baseUrl, alice, jobId)));
    await app.app.get<KeyValueStore>(KEY_VALUE_STORE).delete(...jobIds.map((id) => `scan:events:${id}`));

    // Both streams wait out the quiet together, so their record checks share one query.
    const streams = await Promise.all(jobIds.map((jobId) => readScanEvents(baseUrl, alice, jobId)));
    for (const [i, stream] of streams.entries()) {
      expect(stream.closedByServer).toBe(true);
      expect(stream.events).toHaveLength(1);
      expect(stream.events[0]).toMatchObject({
        event: 'done',
        data: { job_id: jobIds[i], status: 'completed' },
      });
      expect(stream.events[0]!.data.result).toEqual(results[i]);
    }
  });

  it('answers 404 for another user’s job on result, status and events, and for malformed ids', async () => {
    const jobId = await scan(alice, '유리병');
    for (const path of [`${jobId}/result`, jobId, `${jobId}/events`, 'not-a-uuid/result']) {
      const response = await fetch(`${baseUrl}/api/v1/scan/${path}`, {
        headers: { authorization: bob.bearer },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('scopes Idempotency-Key per user and accepts the X- spelling', async () => {
    const imageUrl = await uploadScanPhoto(baseUrl, alice, photo);
    const bobUrl = await uploadScanPhoto(baseUrl, bob, photo);
    const key = `key-${Date.now()}`;
    const first = await submitScan(baseUrl, alice, { image_url: imageUrl }, { 'Idempotency-Key': key });
    const repeat = await submitScan(baseUrl, alice, { image_url: imageUrl }, { 'X-Idempotency-Key': key });
    const other = await submitScan(baseUrl, bob, { image_url: bobUrl }, { 'Idempotency-Key': key });
    expect([first.status, repeat.status, other.status]).toEqual([202, 202, 202]);
    expect(repeat.body.job_id).toBe(first.body.job_id);
    expect(other.body.job_id).not.toBe(first.body.job_id);
    await awaitScanResult(baseUrl, bob, other.body.job_id as string);
  });

  it('refuses an image URL we did not issue, or issued to someone else, and never 400s on model', async () => {
    const foreign = await submitScan(baseUrl, alice, { image_url: 'https://example.com/cat.jpg' });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'image_url' }] });
    const bobsUpload = await uploadScanPhoto(baseUrl, bob, photo);
    expect((await submitScan(baseUrl, alice, { image_url: bobsUpload })).status).toBe(400);
    const odd = await submitScan(baseUrl, alice, {
      image_url: await uploadScanPhoto(baseUrl, alice, photo),
      model: 42,
    });
    expect(odd.status).toBe(202);
  });

  it('replays a finished job at once and closes; Last-Event-ID resumes without duplicates', async () => {
    const jobId = await scan(alice, '우유팩 헹궜어요');
    await awaitScanResult(baseUrl, alice, jobId);
    const replay = await readScanEvents(baseUrl, alice, jobId, { timeoutMs: 5000 });
    expect(replay.closedByServer).toBe(true);
    expect(shape(replay.events)).toEqual(FULL_SEQUENCE);
    const resumed = await readScanEvents(baseUrl, alice, jobId, { lastEventId: '21', timeoutMs: 5000 });
    expect(shape(resumed.events)).toEqual(FULL_SEQUENCE.slice(5));
  });

  it('lists the caller’s scans newest first in keyset pages', async () => {
    const carol = await createTestUser(app, 'carol');
    const ids: string[] = [];
    for (const text of ['신문지', '맥주병', '건전지']) ids.push(await scan(carol, text));
    for (const id of ids) await awaitScanResult(baseUrl, carol, id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await fetch(
        `${baseUrl}/api/v1/users/me/scans?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: { authorization: carol.bearer } },
      );
      expect(page.status).toBe(200);
      const body = (await page.json()) as {
        items: { job_id: string; status: string }[];
        next_cursor: string | null;
      };
      seen.push(...body.items.map((i) => i.job_id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await fetch(`${baseUrl}/api/v1/users/me/scans?cursor=garbage`, {
      headers: { authorization: carol.bearer },
    });
    expect(bad.status).toBe(400);
  });

  it('lists the taxonomy majors and the 12 recyclable middles with examples', async () => {
    const response = await fetch(`${baseUrl}/api/v1/scan/categories`, {
      headers: { authorization: alice.bearer },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      majors: string[];
      recyclable: { name: string; examples: string[] }[];
    };
    expect(body.majors).toContain('재활용폐기물');
    expect(body.recyclable).toHaveLength(12);
    expect(body.recyclable.find((m) => m.name === '무색페트병')?.examples.length).toBeGreaterThan(0);
  });
});
