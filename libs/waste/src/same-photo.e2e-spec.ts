import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStub, type OpenAiStub, type StubRequest } from '../../../test/support/openai-stub.js';
import {
  awaitScanResult,
  CLEAR_PET_ANSWER,
  listenOnFreePort,
  submitScan,
  uploadScanPhoto,
} from '../../../test/support/scan-flow.js';
import { bootTestApp, envFor, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import { waitUntil } from '../../../test/support/wait.js';
import { plainJpeg } from '../../storage/src/testing.js';

const RETRY_NOTE = '직전 답변이 분류표에 없는 조합이었습니다';
const OFF_TAXONOMY = {
  classification: { major_category: '재활용폐기물', middle_category: '우주쓰레기', minor_category: null },
  situation_tags: [],
  meta: { user_input: '' },
};
const CAN = {
  classification: { major_category: '재활용폐기물', middle_category: '금속류', minor_category: '알루미늄캔' },
  situation_tags: ['내용물_없음'],
  meta: { user_input: '' },
};
const systemText = (request: StubRequest): string =>
  request.messages
    .filter((m) => m.role === 'system')
    .map((m) => String(m.content))
    .join('\n');

/**
 * Issue 10.3: the scan's vision step and the chat assistant's look at a photo go through the one
 * classifier, so a model that first strays outside the taxonomy is asked again the same way on both
 * paths, and both land on the same category and rule document.
 */
describe('one photo, one classifier: scan and chat through the OpenAI stub', () => {
  let stub: OpenAiStub;
  let app: TestApp;
  let baseUrl: string;
  let user: TestUser;
  let photo: Buffer;

  beforeAll(async () => {
    stub = await startOpenAiStub();
    app = await bootTestApp(
      await envFor('embedded', {
        APP_DOMAINS: 'scan,chat',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: stub.baseUrl,
        AI_TIMEOUT_MS: '2000',
        AI_MAX_RETRIES: '0',
        SCAN_PROVIDER_RETRY_BASE_MS: '20',
        OUTBOX_POLL_MS: '100',
      }),
    );
    baseUrl = await listenOnFreePort(app);
    user = await createTestUser(app, 'same-photo');
    photo = await plainJpeg();
    // A model that strays on the first try and answers inside the taxonomy when told so.
    stub.on('waste_classification', (request) => ({
      json: systemText(request).includes(RETRY_NOTE) ? CAN : OFF_TAXONOMY,
    }));
    stub.on('disposal_answer', () => ({ json: CLEAR_PET_ANSWER }));
    // The assistant's model looks at the photo with its vision tool, then answers.
    stub.on('*', (request) =>
      request.tools.includes('vision') && request.toolResults.length === 0
        ? { toolCalls: [{ name: 'vision', arguments: {} }] }
        : { content: '캔은 내용물을 비우고 금속류로 배출해요.' },
    );
  });

  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  it('classifies the same photo to the same category on both paths, with the taxonomy check on both', async () => {
    // The scan.
    const scanUpload = await uploadScanPhoto(baseUrl, user, photo, 'photo.jpg');
    const submitted = await submitScan(baseUrl, user, { image_url: scanUpload, user_input: '이건 뭐예요?' });
    expect(submitted.status).toBe(202);
    const scan = await awaitScanResult(baseUrl, user, submitted.body.job_id as string);
    const scanVision = stub.requests.filter((r) => r.schemaName === 'waste_classification');

    // The chat message with the same photo.
    const chatUpload = await uploadScanPhoto(baseUrl, user, photo, 'photo.jpg', 'image/jpeg', 'chat');
    const chatCall = (method: string, path: string, body?: unknown) =>
      fetch(`${baseUrl}/api/v1/chat${path}`, {
        method,
        headers: { authorization: user.bearer, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const chatId = ((await (await chatCall('POST', '', {})).json()) as { id: string }).id;
    const sent = await chatCall('POST', `/${chatId}/messages`, {
      message: '이건 뭐예요?',
      image_url: chatUpload,
    });
    expect(sent.status).toBe(202);
    await waitUntil(
      async () =>
        (((await (await chatCall('GET', `/${chatId}`)).json()) as { messages: unknown[] }).messages?.length ??
          0) >= 2,
      30_000,
      'the assistant’s answer',
    );
    const chatVision = stub.requests
      .filter((r) => r.schemaName === 'waste_classification')
      .slice(scanVision.length);
    const chatAnswer = stub.requests.find((r) => r.toolResults.length > 0)!;

    // Same request on both paths: the photo, the taxonomy schema, asked twice (strayed, then told so).
    for (const path of [scanVision, chatVision]) {
      expect(path).toHaveLength(2);
      expect(path.every((r) => r.hasImage)).toBe(true);
      expect(systemText(path[0])).not.toContain(RETRY_NOTE);
      expect(systemText(path[1])).toContain(RETRY_NOTE);
    }
    expect(chatVision[0].body.response_format).toEqual(scanVision[0].body.response_format);

    // One answer: 금속류 and its rule document on both.
    expect(scan).toMatchObject({
      status: 'completed',
      provider: 'openai',
      pipeline_result: {
        classification_result: {
          classification: { major_category: '재활용폐기물', middle_category: '금속류' },
        },
      },
    });
    const ruleName = (scan.pipeline_result as { disposal_rules: { 이름: string } }).disposal_rules.이름;
    const seen = chatAnswer.toolResults.find((result) => result.name === 'vision')!;
    expect(JSON.parse(seen.content)).toMatchObject({ recognised: true, rule: { name: ruleName } });
  });
});
