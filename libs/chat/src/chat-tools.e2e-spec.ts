import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startOpenAiStub,
  STUB_PNG,
  type OpenAiStub,
  type StubRequest,
} from '../../../test/support/openai-stub.js';
import {
  startOutsideApiStub,
  type OutsideApiStub,
  type RecordedGet,
} from '../../../test/support/outside-api-stub.js';
import { listenOnFreePort, readJobEvents, type SseEvent } from '../../../test/support/scan-flow.js';
import { bootTestApp, embeddedEnv, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import { NearbyPlaces } from '#location';
import { AI_PROVIDER, AppConfig, Clock, dataPath, type AiProvider } from '#platform';
import { CHAT_STAGES } from './chat-events.js';
import { ChatRepository } from './chat.repository.js';
import { CHAT_ENV } from './chat.env.js';
import type { ChatDetailDto } from './dto/chat.dto.js';
import { latestForecastIssue } from './tools/kma-forecast-client.js';
import { RunChatTools } from './tools/run-chat-tools.js';
import { WeatherTool } from './tools/weather-tool.js';
import { WebSearchTool } from './tools/web-search-tool.js';

/**
 * The stage events the app listens for, copied from eco2-team/frontend
 * src/hooks/agent/useAgentSSE.ts (`PROGRESS_STAGES`, commit 87c97d6). Each handler reads
 * `data.stage`, `data.status` and `data.progress`; `token` reads `data.content`; `done` reads
 * `data.status` and `data.result`; `token_recovery` reads `data.accumulated` and `data.completed`.
 */
const APP_PROGRESS_STAGES = [
  'queued',
  'intent',
  'vision',
  'waste_rag',
  'character',
  'location',
  'bulk_waste',
  'weather',
  'collection_point',
  'recyclable_price',
  'web_search',
  'image_generation',
  'general',
  'aggregator',
  'summarize',
  'answer',
] as const;
/** The app's `ProgressStatus` (src/api/services/agent/agent.type.ts). */
const APP_PROGRESS_STATUSES = ['started', 'completed', 'failed'];

const SEOUL_CITY_HALL = { latitude: 37.5665, longitude: 126.978 };
const SERVICE_KEY = 'stub+key/with=reserved==';
const KMA_PATH = '/1360000/VilageFcstInfoService_2.0/getVilageFcst';
const FEE_PATH = '/openapi/tn_pubr_public_bulky_waste_fee_api';
const TOOL_TIMEOUT_MS = 3000;

/** A getVilageFcst answer: rain (PTY 1, POP 80) from 09:00 tomorrow, clear before. */
function kmaForecast(request: RecordedGet): unknown {
  const date = request.query.get('base_date')!;
  const next = new Date(Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8) + 1));
  const tomorrow = next.toISOString().slice(0, 10).replaceAll('-', '');
  const item = (hour: string, category: string, value: string) => ({
    baseDate: date,
    baseTime: request.query.get('base_time'),
    category,
    fcstDate: tomorrow,
    fcstTime: `${hour}00`,
    fcstValue: value,
    nx: Number(request.query.get('nx')),
    ny: Number(request.query.get('ny')),
  });
  const hours = ['06', '09', '12'];
  return {
    response: {
      header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
      body: {
        dataType: 'JSON',
        items: {
          item: hours.flatMap((hour) => [
            item(hour, 'TMP', hour === '06' ? '3' : '7'),
            item(hour, 'SKY', hour === '06' ? '1' : '4'),
            item(hour, 'PTY', hour === '06' ? '0' : '1'),
            item(hour, 'POP', hour === '06' ? '10' : '80'),
            item(hour, 'REH', '70'),
          ]),
        },
        pageNo: 1,
        numOfRows: 300,
        totalCount: hours.length * 5,
      },
    },
  };
}

/** A page of the bulky-waste fee standard data for the asked district. */
function feeRows(request: RecordedGet): unknown {
  const district = request.query.get('signguNm') ?? '';
  const row = (name: string, spec: string, amount: string) => ({
    ctprvnNm: '서울특별시',
    signguNm: district,
    prdlstNm: name,
    standardNm: spec,
    amount,
  });
  return {
    response: {
      header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
      body: {
        items: [
          row('소파', '1인용', '5000'),
          row('소파', '3인용 이상', '15000'),
          row('장롱', '폭 1m당', '8000'),
        ],
        totalCount: 3,
        numOfRows: 1000,
        pageNo: 1,
      },
    },
  };
}

/** data.go.kr answers key and quota errors as XML with HTTP 200. */
const KEY_ERROR_XML =
  '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>' +
  '<returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode>' +
  '</cmmMsgHeader></OpenAPI_ServiceResponse>';

function naverItems(kind: string, request: RecordedGet): unknown {
  const query = request.query.get('query') ?? '';
  return {
    lastBuildDate: 'Tue, 01 Dec 2026 10:00:00 +0900',
    total: 1,
    start: 1,
    display: 1,
    items: [
      {
        title: `<b>${query}</b> ${kind === 'blog' ? '후기' : '안내'}`,
        link: `https://example.org/${kind}/1`,
        description: `${kind} 결과: <b>${query}</b> 는 구청 누리집에서 확인`,
        ...(kind === 'blog' ? { bloggername: '이코', postdate: '20261130' } : {}),
      },
    ],
  };
}

interface Turn {
  chatId: string;
  jobId: string;
  events: SseEvent[];
  elapsedMs: number;
  status: number;
}

async function ask(
  baseUrl: string,
  caller: TestUser,
  message: string,
  userLocation?: { latitude: number; longitude: number },
): Promise<Turn> {
  const headers = { authorization: caller.bearer, 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/api/v1/chat`, { method: 'POST', headers, body: '{}' });
  const chatId = ((await created.json()) as { id: string }).id;
  const started = performance.now();
  const submitted = await fetch(`${baseUrl}/api/v1/chat/${chatId}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ message, ...(userLocation ? { user_location: userLocation } : {}) }),
  });
  const jobId = ((await submitted.json()) as { job_id: string }).job_id;
  // After `queued` (event id 0): the whole turn, whether it is still answering or already finished
  // (a fresh connection to a finished job replays only `done`).
  const read = await readJobEvents(`${baseUrl}/api/v1/chat/${jobId}/events`, caller, { lastEventId: '0' });
  expect(read.closedByServer).toBe(true);
  return {
    chatId,
    jobId,
    events: read.events,
    elapsedMs: performance.now() - started,
    status: submitted.status,
  };
}

const answerOf = (turn: Turn): string =>
  (turn.events.at(-1)!.data as { result: { answer: string } }).result.answer;
const stagesOf = (turn: Turn): [string, unknown][] =>
  turn.events.filter((e) => e.event !== 'token').map((e) => [e.event, e.data.status]);
const toolResult = (request: StubRequest, tool: string): Record<string, unknown> =>
  JSON.parse(request.toolResults.find((r) => r.name === tool)?.content ?? 'null') as Record<string, unknown>;

interface PlaceFact {
  name: string;
  distance: string;
}

/**
 * The stub's model: the first round asks for the tools the test scripted for the question, the
 * second answers from the tool results it was sent (so the answer shows what reached the model).
 */
function scriptModel(openai: OpenAiStub, plans: Record<string, { name: string; arguments: object }[]>): void {
  openai.on('*', (request) => {
    const question = Object.keys(plans).find((q) => request.userText.includes(q));
    if (request.toolResults.length === 0 && question && request.tools.length > 0) {
      return { toolCalls: plans[question]!.map((call) => ({ ...call, arguments: { ...call.arguments } })) };
    }
    const lines = request.toolResults.map(({ name, content }) => {
      const result = JSON.parse(content) as Record<string, unknown>;
      if (result.error) return `${name}: 확인하지 못했어요.`;
      if (name === 'waste_rag') {
        const rule = result.rule as { name: string; steps: string[] } | undefined;
        return rule ? `${rule.name}: ${rule.steps[0]}` : '규칙을 받지 못했어요.';
      }
      if (name === 'collection_point' || name === 'location') {
        return (result.places as PlaceFact[]).map((p, i) => `${i + 1}. ${p.name} (${p.distance})`).join('\n');
      }
      if (name === 'weather') {
        const rainy = (result.forecast as { at: string; rain: string }[]).find((p) => p.rain !== '없음');
        return rainy ? `${rainy.at}부터 ${rainy.rain} 예보예요.` : '비 소식은 없어요.';
      }
      if (name === 'bulk_waste') {
        const fees = result.fees as { name: string; spec: string; fee: string }[];
        return fees.map((f) => `${f.name}(${f.spec}) ${f.fee}`).join(', ');
      }
      if (name === 'web_search') {
        return (result.results as { title: string }[]).map((r) => r.title).join(' / ');
      }
      return `${name} 완료`;
    });
    return { content: lines.length > 0 ? lines.join('\n') : '무엇을 도와드릴까요?' };
  });
}

describe('chat tools', () => {
  let openai: OpenAiStub;
  let outside: OutsideApiStub;
  let app: TestApp;
  let offline: TestApp;
  let baseUrl: string;
  let offlineUrl: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    openai = await startOpenAiStub();
    outside = await startOutsideApiStub();
    const outsideEnv = {
      PUBLIC_DATA_SERVICE_KEY: SERVICE_KEY,
      KMA_FORECAST_BASE_URL: `${outside.baseUrl}/1360000/VilageFcstInfoService_2.0`,
      BULKY_WASTE_FEE_API_URL: `${outside.baseUrl}${FEE_PATH}`,
      CHAT_TOOL_TIMEOUT_MS: String(TOOL_TIMEOUT_MS),
      // Longer than the tool timeout: the tool's own bound is what stops a hanging service here.
      CHAT_OUTBOUND_TIMEOUT_MS: '20000',
    };
    [app, offline] = await Promise.all([
      bootTestApp(
        embeddedEnv({
          APP_DOMAINS: 'chat',
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: openai.baseUrl,
          NAVER_NEWS_CLIENT_ID: 'naver-id',
          NAVER_NEWS_CLIENT_SECRET: 'naver-secret',
          NAVER_NEWS_BASE_URL: outside.baseUrl,
          ...outsideEnv,
        }),
      ),
      // The embedded default: no OpenAI key, no Naver application; the data.go.kr key only.
      bootTestApp(embeddedEnv({ APP_DOMAINS: 'chat', ...outsideEnv })),
    ]);
    [baseUrl, offlineUrl] = await Promise.all([listenOnFreePort(app), listenOnFreePort(offline)]);
    alice = await createTestUser(app, 'alice');
    bob = await createTestUser(offline, 'bob');
  });

  afterAll(async () => {
    await Promise.all([app?.close(), offline?.close()]);
    await Promise.all([openai?.close(), outside?.close()]);
  });

  beforeEach(() => {
    openai.reset();
    outside.reset();
    outside.route(KMA_PATH, (request) => ({ body: kmaForecast(request) }));
    outside.route(FEE_PATH, (request) => ({ body: feeRows(request) }));
    for (const kind of ['webkr', 'blog']) {
      outside.route(`/v1/search/${kind}.json`, (request) => ({ body: naverItems(kind, request) }));
    }
  });

  it('answers "페트병 어떻게 버려?" through the rules tool: the model receives the 무색페트병 rule, tokens end in done', async () => {
    scriptModel(openai, { 페트병: [{ name: 'waste_rag', arguments: { item: '페트병' } }] });
    const turn = await ask(baseUrl, alice, '페트병 어떻게 버려?');

    expect(turn.status).toBe(202);
    const [asking, answering] = openai.requests;
    expect(asking!.tools).toContain('waste_rag');
    expect(answering!.toolResults.map((r) => r.name)).toEqual(['waste_rag']);
    expect(toolResult(answering!, 'waste_rag')).toMatchObject({
      found: true,
      rule: { middle_category: '무색페트병', steps: expect.arrayContaining([expect.any(String)]) },
    });
    expect(stagesOf(turn)).toEqual([
      ['intent', 'started'],
      ['intent', 'completed'],
      ['waste_rag', 'started'],
      ['waste_rag', 'completed'],
      ['answer', 'started'],
      ['answer', 'completed'],
      ['done', 'completed'],
    ]);
    const tokens = turn.events.filter((e) => e.event === 'token');
    expect(tokens.length).toBeGreaterThan(2);
    const answer = answerOf(turn);
    expect(answer).toContain('무색페트병');
    expect(
      tokens
        .map((t) => t.data.content)
        .join('')
        .trim(),
    ).toBe(answer);

    const chat = (await (
      await fetch(`${baseUrl}/api/v1/chat/${turn.chatId}`, { headers: { authorization: alice.bearer } })
    ).json()) as ChatDetailDto;
    expect(chat.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '페트병 어떻게 버려?'],
      ['assistant', answer],
    ]);
    expect(chat.messages.every((m) => /^[0-9a-f-]{36}$/.test(m.id))).toBe(true);
  });

  describe('"근처에 폐건전지 버릴 곳 있어?" at Seoul City Hall', () => {
    const question = '근처에 폐건전지 버릴 곳 있어?';
    let expected: PlaceFact[];
    let shippedFile: string;

    beforeAll(async () => {
      const nearest = await app.app.get(NearbyPlaces).find({
        ...SEOUL_CITY_HALL,
        kind: 'battery',
        limit: 5,
        radiusM: app.app.get(AppConfig).int('CHAT_PLACES_RADIUS_M'),
      });
      expected = nearest.map((p) => ({ name: p.name, distance: p.distance_text }));
      shippedFile = readFileSync(dataPath('locations', 'keco_recycle_compensation_sites.csv'), 'utf8');
    });

    it('finds battery collection sites from the shipped KECO file, nearest first', () => {
      expect(expected.length).toBeGreaterThan(1);
      for (const place of expected) expect(shippedFile).toContain(place.name);
    });

    it('through the model: the collection tool searches from that position; the answer lists the sites with distances', async () => {
      scriptModel(openai, { 폐건전지: [{ name: 'collection_point', arguments: { kind: 'battery' } }] });
      const turn = await ask(baseUrl, alice, question, SEOUL_CITY_HALL);

      const sent = toolResult(openai.requests[1]!, 'collection_point') as { places: PlaceFact[] };
      expect(sent.places.map((p) => ({ name: p.name, distance: p.distance }))).toEqual(expected);
      const answer = answerOf(turn);
      expect(answer).toContain(`1. ${expected[0]!.name} (${expected[0]!.distance})`);
      expect(answer.indexOf(expected[0]!.name)).toBeLessThan(answer.indexOf(expected[1]!.name));
    });

    it('offline: the keyword plan calls the same tool and the composed answer lists the same sites', async () => {
      const turn = await ask(offlineUrl, bob, question, SEOUL_CITY_HALL);

      expect(stagesOf(turn)).toContainEqual(['collection_point', 'completed']);
      const answer = answerOf(turn);
      expected.forEach((place, i) => expect(answer).toContain(`${i + 1}. ${place.name} (${place.distance})`));
    });
  });

  it('runs the tools of one round in parallel: weather and the rules both start before either finishes', async () => {
    const delayMs = 2000;
    outside.route(KMA_PATH, (request) => ({ body: kmaForecast(request), delayMs }));
    outside.route(FEE_PATH, (request) => ({ body: feeRows(request), delayMs }));
    scriptModel(openai, {
      '종이 박스': [
        { name: 'weather', arguments: {} },
        { name: 'waste_rag', arguments: { item: '종이 박스' } },
        { name: 'bulk_waste', arguments: { item: '소파', region: '마포구' } },
      ],
    });
    const turn = await ask(baseUrl, alice, '내일 비 오는데 종이 박스 내놔도 돼?', SEOUL_CITY_HALL);

    const stages = stagesOf(turn).map(([stage, status]) => `${stage}:${String(status)}`);
    const firstCompletion = stages.findIndex((s) => /^(weather|waste_rag|bulk_waste):completed$/.test(s));
    for (const tool of ['weather', 'waste_rag', 'bulk_waste']) {
      expect(stages.indexOf(`${tool}:started`)).toBeGreaterThanOrEqual(0);
      expect(stages.indexOf(`${tool}:started`)).toBeLessThan(firstCompletion);
      expect(stages.indexOf(`${tool}:completed`)).toBeLessThan(stages.indexOf('answer:started'));
    }
    // Two stub services, each answering after `delayMs`: one round costs one delay, not their sum.
    expect(turn.elapsedMs).toBeGreaterThan(delayMs);
    expect(turn.elapsedMs).toBeLessThan(2 * delayMs);
    const answer = answerOf(turn);
    expect(answer).toMatch(/09시부터 비 예보/);
    expect(answer).toContain('종이');
  });

  describe('outside tools with their keys, against their stubs', () => {
    it('weather: getVilageFcst with the service key, JSON, the current issue and the grid point of the position', async () => {
      scriptModel(openai, { 날씨: [{ name: 'weather', arguments: {} }] });
      const before = latestForecastIssue(new Date());
      const turn = await ask(baseUrl, alice, '오늘 날씨 어때?', SEOUL_CITY_HALL);
      const after = latestForecastIssue(new Date());

      const [call] = outside.requests;
      expect(call!.path).toBe(KMA_PATH);
      expect(Object.fromEntries(call!.query)).toMatchObject({
        serviceKey: SERVICE_KEY,
        dataType: 'JSON',
        pageNo: '1',
        nx: '60',
        ny: '127',
      });
      expect([before, after]).toContainEqual({
        baseDate: call!.query.get('base_date'),
        baseTime: call!.query.get('base_time'),
      });
      const sent = toolResult(openai.requests[1]!, 'weather') as {
        forecast: { at: string; rain: string; rain_chance: number; temperature: number }[];
      };
      expect(sent.forecast.map((p) => [p.at.slice(-3), p.rain, p.rain_chance, p.temperature])).toEqual([
        ['06시', '없음', 10, 3],
        ['09시', '비', 80, 7],
        ['12시', '비', 80, 7],
      ]);
      expect(answerOf(turn)).toContain('09시부터 비 예보예요.');
    });

    it('bulk_waste: the procedure from the rule data and the district fees from the standard data API', async () => {
      scriptModel(openai, { 소파: [{ name: 'bulk_waste', arguments: { item: '소파', region: '마포구' } }] });
      const turn = await ask(baseUrl, alice, '소파 버리려면 얼마야?');

      const [call] = outside.requests;
      expect(call!.path).toBe(FEE_PATH);
      expect(Object.fromEntries(call!.query)).toMatchObject({
        serviceKey: SERVICE_KEY,
        type: 'json',
        pageNo: '1',
        signguNm: '마포구',
      });
      expect(Number(call!.query.get('numOfRows'))).toBeGreaterThan(0);
      const sent = toolResult(openai.requests[1]!, 'bulk_waste') as {
        procedure: string[];
        fees: { region: string; fee: string }[];
      };
      expect(sent.procedure.join(' ')).toContain('대형폐기물 스티커');
      expect(sent.fees).toEqual([
        { region: '서울특별시 마포구', name: '소파', spec: '1인용', fee: '5,000원' },
        { region: '서울특별시 마포구', name: '소파', spec: '3인용 이상', fee: '15,000원' },
      ]);
      expect(answerOf(turn)).toBe('소파(1인용) 5,000원, 소파(3인용 이상) 15,000원');
    });

    it("bulk_waste: without a named district, the fees of the nearest known site's district", async () => {
      scriptModel(openai, { 장롱: [{ name: 'bulk_waste', arguments: { item: '장롱' } }] });
      await ask(baseUrl, alice, '장롱 버리는 비용', SEOUL_CITY_HALL);

      const [nearest] = await app.app.get(NearbyPlaces).find({
        ...SEOUL_CITY_HALL,
        kind: 'any',
        limit: 1,
        radiusM: app.app.get(AppConfig).int('CHAT_PLACES_RADIUS_M'),
      });
      const [province, district] = nearest!.road_address!.split(' ');
      expect(Object.fromEntries(outside.requests[0]!.query)).toMatchObject({
        ctprvnNm: province,
        signguNm: district,
      });
    });

    it("web_search: Naver web and blog search with the news collector's client id and secret", async () => {
      scriptModel(openai, { 검색: [{ name: 'web_search', arguments: { query: '아이스팩 수거' } }] });
      const turn = await ask(baseUrl, alice, '아이스팩 수거 검색해 줘');

      expect(outside.requests.map((r) => r.path).sort()).toEqual([
        '/v1/search/blog.json',
        '/v1/search/webkr.json',
      ]);
      for (const call of outside.requests) {
        expect(call.headers['x-naver-client-id']).toBe('naver-id');
        expect(call.headers['x-naver-client-secret']).toBe('naver-secret');
        expect(call.query.get('query')).toBe('아이스팩 수거');
        expect(Number(call.query.get('display'))).toBeGreaterThan(0);
      }
      expect(answerOf(turn)).toBe('아이스팩 수거 안내 / 아이스팩 수거 후기');
    });

    it("image_generation: OpenAI images with the API key; the picture is stored and becomes the answer's image_url", async () => {
      scriptModel(openai, {
        그려: [{ name: 'image_generation', arguments: { prompt: '분리배출하는 이코' } }],
      });
      const turn = await ask(baseUrl, alice, '분리배출하는 이코 그려 줘');

      expect(openai.imageRequests).toHaveLength(1);
      expect(openai.imageRequests[0]!.authorization).toBe('Bearer sk-test');
      expect(openai.imageRequests[0]!.body).toMatchObject({ prompt: '분리배출하는 이코' });
      const chat = (await (
        await fetch(`${baseUrl}/api/v1/chat/${turn.chatId}`, { headers: { authorization: alice.bearer } })
      ).json()) as ChatDetailDto;
      const imageUrl = chat.messages.find((m) => m.role === 'assistant')!.image_url!;
      expect(toolResult(openai.requests[1]!, 'image_generation')).toEqual({ image_url: imageUrl });
      const served = await fetch(new URL(new URL(imageUrl).pathname + new URL(imageUrl).search, baseUrl));
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer())).toEqual(STUB_PNG);
    });

    it('offers every outside tool when its key is set, and none without it', async () => {
      scriptModel(openai, {});
      await ask(baseUrl, alice, '안녕');
      expect(openai.requests[0]!.tools).toEqual(
        expect.arrayContaining(['weather', 'bulk_waste', 'web_search', 'image_generation']),
      );

      // No OpenAI key (no image model) and no Naver application in the embedded default.
      const context = {
        jobId: 'j',
        userId: 'u',
        question: '',
        userLocation: SEOUL_CITY_HALL,
        imageKey: null,
      };
      const offeredOffline = offline.app
        .get(RunChatTools)
        .offered(context)
        .map((tool) => tool.name);
      expect(offeredOffline).toEqual(expect.arrayContaining(['weather', 'bulk_waste']));
      expect(offeredOffline).not.toContain('web_search');
      expect(offeredOffline).not.toContain('image_generation');
      expect(offline.app.get<AiProvider>(AI_PROVIDER).generatesImages).toBe(false);
      // No data.go.kr key: no forecast, and bulky waste answers from the rule data alone.
      const keyless = AppConfig.load(CHAT_ENV, {});
      expect(new WeatherTool(keyless, app.app.get(Clock)).available()).toBe(false);
      expect(new WebSearchTool(keyless).available()).toBe(false);
    });
  });

  describe('a tool that hangs past its timeout and a tool that fails', () => {
    const question = '내일 비 오는데 소파 버려도 돼?';

    beforeEach(() => {
      outside.route(KMA_PATH, (request) => ({ body: kmaForecast(request), delayMs: 4 * TOOL_TIMEOUT_MS }));
      outside.route(FEE_PATH, () => ({ body: KEY_ERROR_XML, contentType: 'text/xml' }));
    });

    it('through the model: the turn completes, the model is told which lookups failed', async () => {
      scriptModel(openai, {
        소파: [
          { name: 'weather', arguments: {} },
          { name: 'bulk_waste', arguments: { item: '소파', region: '마포구' } },
        ],
      });
      const turn = await ask(baseUrl, alice, question, SEOUL_CITY_HALL);

      expect(turn.status).toBe(202);
      expect(stagesOf(turn)).toEqual(
        expect.arrayContaining([
          ['weather', 'failed'],
          ['bulk_waste', 'failed'],
          ['done', 'completed'],
        ]),
      );
      expect(turn.elapsedMs).toBeLessThan(4 * TOOL_TIMEOUT_MS);
      for (const tool of ['weather', 'bulk_waste']) {
        expect(toolResult(openai.requests[1]!, tool)).toMatchObject({ error: 'could_not_look_up', tool });
      }
      expect(answerOf(turn)).toBe('weather: 확인하지 못했어요.\nbulk_waste: 확인하지 못했어요.');
      expect((await app.app.get(ChatRepository).findJob(turn.jobId))!.status).toBe('completed');
    });

    it('offline: the composed answer says what could not be looked up', async () => {
      const turn = await ask(offlineUrl, bob, question, SEOUL_CITY_HALL);

      expect(turn.events.at(-1)!.event).toBe('done');
      expect(answerOf(turn)).toContain('대형폐기물 정보, 날씨 정보는 지금 확인하지 못했어요');
      expect((await offline.app.get(ChatRepository).findJob(turn.jobId))!.status).toBe('completed');
    });
  });

  it("speaks the app's SSE: every stage event is one the app listens for, with the fields it reads", async () => {
    scriptModel(openai, {
      '종이 박스': [
        { name: 'weather', arguments: {} },
        { name: 'waste_rag', arguments: { item: '종이 박스' } },
      ],
    });
    const turn = await ask(baseUrl, alice, '내일 비 오는데 종이 박스 내놔도 돼?', SEOUL_CITY_HALL);

    // Every stage this backend can emit is one the app renders.
    const emittable = CHAT_STAGES.filter((stage) => stage !== 'done');
    expect(APP_PROGRESS_STAGES).toEqual(expect.arrayContaining([...emittable]));
    const stageEvents = turn.events.filter((e) => !['token', 'done'].includes(e.event));
    expect(stageEvents.length).toBeGreaterThan(4);
    for (const event of stageEvents) {
      expect(APP_PROGRESS_STAGES).toContain(event.event);
      expect(event.data).toMatchObject({
        job_id: turn.jobId,
        stage: event.event,
        seq: expect.any(Number),
        progress: expect.any(Number),
      });
      expect(APP_PROGRESS_STATUSES).toContain(event.data.status);
    }
    for (const token of turn.events.filter((e) => e.event === 'token')) {
      expect(token.data).toMatchObject({
        content: expect.any(String),
        seq: expect.any(Number),
        node: 'answer',
      });
    }
    const done = turn.events.at(-1)!;
    expect(done.event).toBe('done');
    // The app's DoneEventResult minus persistence.user_id, which this backend deliberately never sends.
    expect(done.data).toMatchObject({
      job_id: turn.jobId,
      stage: 'done',
      status: 'completed',
      seq: expect.any(Number),
      progress: 100,
      message: expect.any(String),
      result: {
        intent: expect.any(String),
        answer: expect.any(String),
        persistence: {
          conversation_id: turn.chatId,
          user_message: expect.any(String),
          assistant_message: expect.any(String),
          assistant_message_created_at: expect.any(String),
        },
      },
    });
    expect(stageEvents.map((e) => e.event)).toEqual(expect.arrayContaining(['weather', 'waste_rag']));
  });
});
