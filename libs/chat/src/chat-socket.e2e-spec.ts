import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort, type SseEvent } from '../../../test/support/scan-flow.js';
import { openSocket, RefusedUpgrade, type SocketFrame } from '../../../test/support/socket-client.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import { AI_PROVIDER, LocalAiProvider, type AiTurnPart } from '#platform';

/**
 * Issue 11 acceptance 6: the chat turn over `/api/v1/chat/ws` — the same exchange as the SSE stream,
 * auth on the upgrade, ownership, a disconnect mid-answer resumed with `token_recovery`, the limits.
 */
describe.each<Stack>(['embedded', 'production'])('chat WebSocket (%s adapters)', (stack) => {
  let app: TestApp;
  let baseUrl: string;
  let socketUrl: string;
  let alice: TestUser;
  let bob: TestUser;
  let provider: LocalAiProvider;
  let streamTurn: LocalAiProvider['streamTurn'];

  beforeAll(async () => {
    app = await bootTestApp(
      await envFor(stack, {
        APP_DOMAINS: 'chat',
        CHAT_WS_MAX_FRAME_BYTES: '2048',
        CHAT_WS_HEARTBEAT_MS: '200',
      }),
    );
    baseUrl = await listenOnFreePort(app);
    socketUrl = `${baseUrl.replace('http', 'ws')}/api/v1/chat/ws`;
    alice = await createTestUser(app, 'alice');
    bob = await createTestUser(app, 'bob');
    const ai = app.app.get(AI_PROVIDER);
    if (!(ai instanceof LocalAiProvider)) throw new Error('expected the offline provider');
    provider = ai;
    streamTurn = provider.streamTurn.bind(provider);
  });

  afterEach(() => {
    provider.streamTurn = streamTurn;
  });

  afterAll(() => app?.close());

  /**
   * Holds the offline model's answer before its text part number `at[i]` until `releases[i]()` is
   * called, so a test acts at known points of a turn (the offline model is otherwise done at once).
   */
  const pauseAnswerAt = (...at: number[]): (() => void)[] => {
    const releases: (() => void)[] = [];
    const gates = at.map(() => new Promise<void>((resolve) => releases.push(resolve)));
    provider.streamTurn = async function* (request, signal): AsyncIterable<AiTurnPart> {
      let sent = 0;
      for await (const part of streamTurn(request, signal)) {
        const gate = part.type === 'text' ? at.indexOf(sent++) : -1;
        if (gate >= 0) await gates[gate];
        yield part;
      }
    };
    return releases;
  };

  const api = async (caller: TestUser, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1/chat${path}`, {
      method,
      headers: { authorization: caller.bearer, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  const newChat = async (caller: TestUser): Promise<string> =>
    (await api(caller, 'POST', '', {})).id as string;

  const connect = (caller: TestUser) => openSocket(socketUrl, { headers: { authorization: caller.bearer } });

  const refusal = async (options: Parameters<typeof openSocket>[1]): Promise<RefusedUpgrade> => {
    const outcome = await openSocket(socketUrl, options).then(
      (socket) => socket.close().then(() => null),
      (error: unknown) => error,
    );
    if (!(outcome instanceof RefusedUpgrade)) throw new Error(`expected a refused upgrade, got ${outcome}`);
    return outcome;
  };

  const isToken = (frame: SocketFrame): boolean => frame.event === 'token';

  it('refuses the upgrade without a valid token (401 envelope) and a cookie upgrade from a foreign Origin (403)', async () => {
    const anonymous = await refusal({});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ code: 'UNAUTHORIZED' });
    const forged = await refusal({ headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    const cookie = `s_access=${alice.accessToken}`;
    const crossSite = await refusal({ headers: { cookie }, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body)).toMatchObject({ code: 'FORBIDDEN' });

    const withCookie = await openSocket(socketUrl, { headers: { cookie } });
    expect(await withCookie.close()).toBe(1005);
  });

  it('answers "페트병 어떻게 버려?" with the SSE events, and after a disconnect mid-answer `resume` gives token_recovery then the rest', async () => {
    const chatId = await newChat(alice);
    const [startAnswer, finishAnswer] = pauseAnswerAt(0, 3);
    const first = await connect(alice);
    first.send({ type: 'message', chat_id: chatId, message: '페트병 어떻게 버려?' });
    const accepted = await first.next((f) => f.event === 'accepted');
    const jobId = accepted.data.job_id as string;
    expect(accepted.data).toEqual({ job_id: expect.any(String), chat_id: chatId });
    await first.next((f) => f.event === 'waste_rag' && f.data.status === 'completed');
    startAnswer();
    await first.next((f) => isToken(f) && f.data.seq === 1003);
    await first.close();

    const second = await connect(alice);
    second.send({ type: 'resume', job_id: jobId });
    const recovery = await second.next((f) => f.event === 'token_recovery');
    expect(recovery.data).toMatchObject({ job_id: jobId, last_seq: 1003, completed: false });
    finishAnswer();
    const done = await second.next((f) => f.event === 'done');
    await second.close();

    const result = done.data.result as {
      answer: string;
      intent: string;
      persistence: Record<string, string>;
    };
    expect(result.intent).toBe('waste');
    expect(result.answer).toContain('무색페트병');
    const rest = second.frames.filter(isToken);
    expect(rest.every((t) => Number(t.data.seq) > 1003)).toBe(true);
    expect(`${String(recovery.data.accumulated)}${rest.map((t) => t.data.content).join('')}`.trim()).toBe(
      result.answer,
    );
    // What the first socket saw is the SSE stream's beginning, frame for frame.
    const sse = await readSse(alice, jobId);
    const [queued, ...beforeDisconnect] = first.frames.filter((f) => f.event !== 'accepted');
    expect(queued).toMatchObject({ event: 'queued', id: 0 });
    expect(beforeDisconnect.map((f) => [f.event, f.id, f.data])).toEqual(
      sse.slice(0, beforeDisconnect.length).map((e) => [e.event, Number(e.id), e.data]),
    );
    expect(beforeDisconnect.map((f) => f.event)).toEqual(
      expect.arrayContaining(['intent', 'waste_rag', 'answer', 'token']),
    );
    expect(sse.at(-1)?.data).toEqual(done.data);

    const chat = await api(alice, 'GET', `/${chatId}`);
    expect((chat.messages as { role: string; content: string }[]).map((m) => [m.role, m.content])).toEqual([
      ['user', '페트병 어떻게 버려?'],
      ['assistant', result.answer],
    ]);
  });

  it('answers another user’s chat or job, bad input and unreadable frames with error frames; the socket stays open', async () => {
    const chatId = await newChat(alice);
    const owner = await connect(alice);
    owner.send({ type: 'message', chat_id: chatId, message: '안녕 이코' });
    const jobId = (await owner.next((f) => f.event === 'accepted')).data.job_id as string;
    await owner.next((f) => f.event === 'done');
    await owner.close();

    const intruder = await connect(bob);
    intruder.send({ type: 'message', chat_id: chatId, message: '내 거야' });
    expect((await intruder.next((f) => f.event === 'error')).data).toMatchObject({
      type: 'message',
      chat_id: chatId,
      error: 'not_found',
      code: 'NOT_FOUND',
    });
    intruder.send({ type: 'resume', job_id: jobId });
    expect((await intruder.next((f) => f.event === 'error' && f.data.type === 'resume')).data).toMatchObject({
      job_id: jobId,
      error: 'not_found',
      code: 'NOT_FOUND',
    });
    intruder.send({ type: 'message', chat_id: chatId, message: '   ' });
    expect(
      (await intruder.next((f) => f.event === 'error' && f.data.code !== 'NOT_FOUND')).data,
    ).toMatchObject({
      error: 'validation_error',
      code: 'VALIDATION_ERROR',
      details: [{ field: 'message', message: 'message must not be blank' }],
    });
    const mine = await connect(alice);
    mine.send({
      type: 'message',
      chat_id: chatId,
      message: '이건 뭐야?',
      image_url: 'https://example.com/cat.jpg',
    });
    expect((await mine.next((f) => f.event === 'error')).data).toMatchObject({
      error: 'validation_error',
      details: [{ field: 'image_url' }],
    });
    await mine.close();
    const seen = intruder.frames.length;
    intruder.send('not json');
    expect((await intruder.next((f) => f.event === 'error', seen)).data).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'type' }],
    });
    expect(intruder.frames.filter((f) => f.event !== 'error')).toEqual([]);
    expect(intruder.raw.readyState).toBe(intruder.raw.OPEN);
    await intruder.close();
    expect(((await api(alice, 'GET', `/${chatId}`)).messages as unknown[]).length).toBe(2);
  });

  it('closes a socket that sends a frame over the size limit (1009) or stops answering pings', async () => {
    const big = await connect(alice);
    big.send({ type: 'message', chat_id: 'x', message: 'x'.repeat(3000) });
    expect(await big.closed).toBe(1009);

    const silent = await openSocket(socketUrl, { headers: { authorization: alice.bearer }, autoPong: false });
    let pings = 0;
    silent.raw.on('ping', () => pings++);
    expect(await silent.closed).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
  });

  /** The turn's SSE stream after its `queued` event (`Last-Event-ID: 0`). */
  const readSse = async (caller: TestUser, jobId: string): Promise<SseEvent[]> => {
    const response = await fetch(`${baseUrl}/api/v1/chat/${jobId}/events`, {
      headers: { authorization: caller.bearer, 'last-event-id': '0' },
    });
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.includes('event: '))
      .map((block) => {
        const lines = block.split('\n');
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        return { id: field('id'), event: field('event') ?? '', data: JSON.parse(field('data') ?? '{}') };
      });
    return events;
  };
});
