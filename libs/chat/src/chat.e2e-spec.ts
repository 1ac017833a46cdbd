import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort, type SseEvent } from '../../../test/support/scan-flow.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import { Transactions } from '#platform';
import { AI_PROVIDER, KEY_VALUE_STORE, LocalAiProvider, type KeyValueStore } from '#platform';
import { AnswerChatTurn } from './worker/answer-chat-turn.js';
import { ANSWER_TASK } from './worker/chat-answer-context.js';
import { ChatEvents } from './chat-events.js';
import { ChatJob } from './chat-job.entity.js';
import { ChatMessage } from './chat-message.entity.js';
import { ChatRepository } from './chat.repository.js';
import type {
  ChatCreatedDto,
  ChatDetailDto,
  ChatListDto,
  ChatMessageDto,
  ChatMessageSubmittedDto,
} from './dto/chat.dto.js';
import { OfflineAssistant } from './worker/offline-assistant.js';

/** Every response body of these routes, read loosely: each test asserts the fields it needs. */
type ApiBody = ChatListDto &
  ChatDetailDto &
  ChatCreatedDto &
  ChatMessageSubmittedDto & { code: string; details: { field: string; message: string }[] };

interface DoneData {
  result: { answer: string; persistence: { assistant_message_created_at: string } };
}

describe.each<Stack>(['embedded', 'production'])('chat (%s adapters)', (stack) => {
  let app: TestApp;
  let baseUrl: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    app = await bootTestApp(await envFor(stack, { APP_DOMAINS: 'chat', CHAT_SSE_RECORD_CHECK_MS: '300' }));
    baseUrl = await listenOnFreePort(app);
    alice = await createTestUser(app, 'alice');
    bob = await createTestUser(app, 'bob');
  });

  afterAll(() => app?.close());

  const call = async (
    caller: TestUser,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: ApiBody }> => {
    const response = await fetch(`${baseUrl}/api/v1/chat${path}`, {
      method,
      headers: {
        authorization: caller.bearer,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as ApiBody) : ({} as ApiBody) };
  };

  const newChat = async (caller: TestUser, title?: string): Promise<string> => {
    const created = await call(caller, 'POST', '', title === undefined ? {} : { title });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  /** Reads the SSE stream until the server closes it or `stopAfter` has seen enough. */
  const readEvents = async (
    caller: TestUser,
    jobId: string,
    options: { lastEventId?: string; stopAfter?: (events: SseEvent[]) => boolean } = {},
  ): Promise<{ events: SseEvent[]; closedByServer: boolean }> => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 30_000);
    const events: SseEvent[] = [];
    try {
      const response = await fetch(`${baseUrl}/api/v1/chat/${jobId}/events`, {
        headers: {
          authorization: caller.bearer,
          ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
        },
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      let buffer = '';
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString('utf8');
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, boundary).split('\n');
          buffer = buffer.slice(boundary + 2);
          const field = (name: string) =>
            lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
          events.push({
            id: field('id'),
            event: field('event') ?? '',
            data: JSON.parse(field('data') ?? '{}'),
          });
          if (options.stopAfter?.(events)) {
            abort.abort();
            return { events, closedByServer: false };
          }
        }
      }
      return { events, closedByServer: true };
    } catch (error) {
      if (abort.signal.aborted) return { events, closedByServer: false };
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  /** Stores messages straight through the repository, `step` ms apart (0: all at the same instant). */
  const seedMessages = async (chatId: string, count: number, start: Date, step: number): Promise<void> => {
    const chats = app.app.get(ChatRepository);
    for (let i = 0; i < count; i++) {
      await chats.insertMessage(
        Object.assign(new ChatMessage(), {
          id: randomUUID(),
          conversationId: chatId,
          role: i % 2 === 0 ? 'user' : 'assistant',
          content: `message ${i}`,
          imageUrl: null,
          intent: null,
          jobId: null,
          createdAt: new Date(start.getTime() + Math.floor(i / 2) * step),
        } satisfies ChatMessage),
      );
    }
  };

  it('creates, renames and soft-deletes a chat; the list shows new empty chats first', async () => {
    const created = await call(alice, 'POST', '', { title: '첫 대화' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      title: '첫 대화',
      created_at: expect.any(String),
    });
    const chatId = created.body.id as string;
    const untitled = await newChat(alice);

    const list = await call(alice, 'GET', '');
    expect(list.status).toBe(200);
    expect(list.body.chats.slice(0, 2).map((c) => c.id)).toEqual([untitled, chatId]);
    expect(list.body.chats[0]).toEqual({
      id: untitled,
      title: null,
      preview: null,
      message_count: 0,
      last_message_at: null,
      created_at: expect.any(String),
    });

    expect((await call(alice, 'PATCH', `/${chatId}`, { title: '페트병 질문' })).status).toBe(204);
    const renamed = await call(alice, 'GET', `/${chatId}`);
    expect(renamed.body).toMatchObject({
      id: chatId,
      title: '페트병 질문',
      messages: [],
      has_more: false,
      next_cursor: null,
    });
    const blankTitle = await call(alice, 'PATCH', `/${chatId}`, { title: '  ' });
    expect(blankTitle.status).toBe(400);
    expect(blankTitle.body.details).toEqual([expect.objectContaining({ field: 'title' })]);

    expect((await call(alice, 'DELETE', `/${chatId}`)).status).toBe(204);
    expect((await call(alice, 'GET', `/${chatId}`)).status).toBe(404);
    expect((await call(alice, 'GET', '')).body.chats.map((c) => c.id)).not.toContain(chatId);
  });

  it('answers 404 for another user’s chat or job and for malformed ids', async () => {
    const chatId = await newChat(alice);
    const submitted = await call(alice, 'POST', `/${chatId}/messages`, { message: '안녕 이코' });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.job_id as string;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/${chatId}`],
      ['PATCH', `/${chatId}`, { title: 'mine now' }],
      ['DELETE', `/${chatId}`],
      ['POST', `/${chatId}/messages`, { message: 'hi' }],
      ['GET', `/${jobId}/events`],
      ['GET', '/not-a-uuid'],
      ['GET', '/not-a-uuid/events'],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(bob, method, path, body);
      expect({ method, path, status: answer.status, code: answer.body.code }).toEqual({
        method,
        path,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    expect((await call(bob, 'GET', '')).body.chats).toEqual([]);
  });

  it('pages a long chat oldest → newest with no repeats or skips, even among equal timestamps', async () => {
    const chatId = await newChat(alice);
    await seedMessages(chatId, 5, new Date('2025-01-01T00:00:00Z'), 1000);
    await seedMessages(chatId, 6, new Date('2025-01-02T00:00:00Z'), 0);
    const seen: ChatMessageDto[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call(alice, 'GET', `/${chatId}?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.has_more).toBe(page.body.next_cursor !== null);
      const times = page.body.messages.map((m) => m.created_at);
      expect(times).toEqual([...times].sort());
      seen.unshift(...page.body.messages);
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(11);
    expect(new Set(seen.map((m) => m.id)).size).toBe(11);
    expect(seen.map((m) => m.created_at)).toEqual(seen.map((m) => m.created_at).sort());
    expect((await call(alice, 'GET', `/${chatId}?cursor=garbage`)).status).toBe(400);
  });

  it('pages the chat list most recent first across active and empty chats', async () => {
    const carol = await createTestUser(app, 'carol');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newChat(carol, `chat ${i}`));
    // The oldest chat becomes the most recently active one.
    await seedMessages(ids[0], 1, new Date(Date.now() + 60_000), 0);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(carol, 'GET', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.chats.map((c) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([ids[0], ...ids.slice(1).reverse()]);
  });

  it('validates the message: blank → 400 with details, a foreign image_url → 400, any model accepted', async () => {
    const chatId = await newChat(alice);
    const blank = await call(alice, 'POST', `/${chatId}/messages`, { message: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'message', message: 'message must not be blank' }],
    });
    const tooLong = await call(alice, 'POST', `/${chatId}/messages`, { message: 'x'.repeat(4001) });
    expect(tooLong.body.details).toEqual([expect.objectContaining({ field: 'message' })]);
    const badPlace = await call(alice, 'POST', `/${chatId}/messages`, {
      message: '근처 수거함',
      user_location: { latitude: 200, longitude: 0 },
    });
    expect(badPlace.body.details).toEqual([expect.objectContaining({ field: 'user_location.latitude' })]);
    const foreign = await call(alice, 'POST', `/${chatId}/messages`, {
      message: '이건 뭐야?',
      image_url: 'https://example.com/cat.jpg',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.details).toEqual([expect.objectContaining({ field: 'image_url' })]);

    for (const model of ['gemini-3-flash-preview', 'gpt-5.2', 42]) {
      const accepted = await call(alice, 'POST', `/${chatId}/messages`, { message: '안녕하세요', model });
      expect(accepted.status).toBe(202);
      expect(accepted.body.status).toBe('submitted');
    }
  });

  it('answers a turn end to end: SSE stages, tokens, done, then the chat shows both messages', async () => {
    const chatId = await newChat(alice);
    const submitted = await call(alice, 'POST', `/${chatId}/messages`, {
      message: '페트병은 어떻게 버려요?',
      user_location: { latitude: 37.5665, longitude: 126.978 },
      model: 'gemini-3-flash-preview',
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.job_id as string;
    expect(submitted.body).toEqual({
      job_id: jobId,
      stream_url: `/api/v1/chat/${jobId}/events`,
      status: 'submitted',
    });

    // Live or already finished (the offline provider is fast): either way the stream closes on done.
    const live = await readEvents(alice, jobId);
    expect(live.closedByServer).toBe(true);
    expect(live.events.at(-1)?.event).toBe('done');
    // Resuming after `queued` (event id 0) replays the whole turn from the event log.
    const stream = await readEvents(alice, jobId, { lastEventId: '0' });
    expect(stream.closedByServer).toBe(true);
    const done = stream.events.at(-1)!;
    const { result } = done.data as unknown as DoneData;
    expect(done.data).toEqual(live.events.at(-1)!.data);
    const tokens = stream.events.filter((e) => e.event === 'token');
    expect(tokens.length).toBeGreaterThan(3);
    expect(
      tokens
        .map((t) => t.data.content)
        .join('')
        .trim(),
    ).toBe(result.answer);
    expect(tokens.map((t) => t.data.seq)).toEqual(tokens.map((_, i) => 1001 + i));
    expect(tokens[0].data).toMatchObject({ node: 'answer', content: expect.any(String) });
    expect(stream.events.filter((e) => e.event !== 'token').map((e) => [e.event, e.data.status])).toEqual([
      ['intent', 'started'],
      ['intent', 'completed'],
      ['waste_rag', 'started'],
      ['waste_rag', 'completed'],
      ['answer', 'started'],
      ['answer', 'completed'],
      ['done', 'completed'],
    ]);
    expect(done.data).toMatchObject({
      job_id: jobId,
      stage: 'done',
      status: 'completed',
      progress: 100,
      message: expect.any(String),
      result: {
        intent: 'waste',
        answer: expect.stringContaining('무색페트병'),
        persistence: {
          conversation_id: chatId,
          user_message: '페트병은 어떻게 버려요?',
          assistant_message: result.answer,
          assistant_message_created_at: expect.any(String),
        },
      },
    });

    const chat = await call(alice, 'GET', `/${chatId}`);
    expect(chat.body.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '페트병은 어떻게 버려요?'],
      ['assistant', result.answer],
    ]);
    expect(chat.body.title).toBe('페트병은 어떻게 버려요?');
    const listed = (await call(alice, 'GET', '')).body.chats.find((c) => c.id === chatId);
    expect(listed).toMatchObject({
      message_count: 2,
      last_message_at: result.persistence.assistant_message_created_at,
    });

    // A redelivered message of the finished job stores nothing more.
    await app.app.get(AnswerChatTurn).run(jobId, false);
    expect((await call(alice, 'GET', `/${chatId}`)).body.messages).toHaveLength(2);

    // A finished job replays only its closing event and closes.
    const replay = await readEvents(alice, jobId);
    expect(replay.events.map((e) => e.event)).toEqual(['done']);
    expect(replay.events[0].data).toEqual(done.data);
  });

  it('answers character and general questions from the catalog and the persona', async () => {
    const chatId = await newChat(alice);
    const ask = async (message: string): Promise<Record<string, unknown>> => {
      const submitted = await call(alice, 'POST', `/${chatId}/messages`, { message });
      const stream = await readEvents(alice, submitted.body.job_id as string);
      return stream.events.at(-1)!.data;
    };
    expect((await ask('페티는 어떤 캐릭터야?')).result).toMatchObject({
      intent: 'character',
      answer: expect.stringContaining('페티'),
    });
    expect((await ask('안녕 이코!')).result).toMatchObject({
      intent: 'general',
      answer: expect.stringContaining('이코'),
    });
    expect((await call(alice, 'GET', `/${chatId}`)).body.messages).toHaveLength(4);
  });

  it('sends token_recovery first to a fresh connection mid-answer, and resumes after Last-Event-ID', async () => {
    const chatId = await newChat(alice);
    const jobId = randomUUID();
    const now = new Date();
    const question = Object.assign(new ChatMessage(), {
      id: randomUUID(),
      conversationId: chatId,
      role: 'user',
      content: '건전지는요?',
      imageUrl: null,
      intent: null,
      jobId,
      createdAt: now,
    } satisfies ChatMessage);
    const job = Object.assign(new ChatJob(), {
      id: jobId,
      userId: alice.id,
      conversationId: chatId,
      userMessageId: question.id,
      assistantMessageId: null,
      status: 'running',
      intent: null,
      imageKey: null,
      userLocation: null,
      requestedModel: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    } satisfies ChatJob);
    // No queue message: no worker answers this seeded turn.
    const chats = app.app.get(ChatRepository);
    await app.app
      .get(Transactions)
      .run((manager) => chats.insertTurn(manager, { userMessage: question, job }));
    const events = app.app.get(ChatEvents);
    await events.stage(jobId, 'answer', 'started');
    await events.token(jobId, 1001, '건전지는 ');
    await events.token(jobId, 1002, '전용 수거함에 ');

    const first = await readEvents(alice, jobId, {
      stopAfter: (seen) => seen.some((e) => e.event === 'answer'),
    });
    expect(first.events[0]).toMatchObject({
      event: 'token_recovery',
      data: { accumulated: '건전지는 전용 수거함에 ', last_seq: 1002, completed: false },
    });
    expect(first.events.filter((e) => e.event === 'token')).toEqual([]);

    const answerStarted = first.events.find((e) => e.event === 'answer')!;
    await events.token(jobId, 1003, '넣어요.');
    const resumed = await readEvents(alice, jobId, {
      lastEventId: answerStarted.id,
      stopAfter: (seen) => seen.some((e) => e.data.seq === 1003),
    });
    expect(resumed.events.map((e) => [e.event, e.data.seq])).toEqual([
      ['token', 1001],
      ['token', 1002],
      ['token', 1003],
    ]);
  });

  it('ends a resumed stream whose events expired with the done rebuilt from the stored turn', async () => {
    const chatId = await newChat(alice);
    const submitted = await call(alice, 'POST', `/${chatId}/messages`, { message: '캔은 어떻게 버려요?' });
    const jobId = submitted.body.job_id as string;
    const live = await readEvents(alice, jobId);
    expect(live.events.at(-1)?.event).toBe('done');
    await app.app.get<KeyValueStore>(KEY_VALUE_STORE).delete(`chat:events:${jobId}`);

    // A resume skips the fresh connection's record read: only the feed's record check can end it.
    const resumed = await readEvents(alice, jobId, { lastEventId: '0' });
    expect(resumed.closedByServer).toBe(true);
    expect(resumed.events.map((e) => e.event)).toEqual(['done']);
    expect(resumed.events[0]!.data).toEqual(live.events.at(-1)!.data);
  });

  it('keeps the user message and ends the stream with error when the answer cannot be made', async () => {
    const provider = app.app.get(AI_PROVIDER);
    if (!(provider instanceof LocalAiProvider)) throw new Error('expected the offline provider');
    provider.registerTurnSolver(ANSWER_TASK, () => {
      throw new Error('model unavailable');
    });
    try {
      const chatId = await newChat(alice);
      const submitted = await call(alice, 'POST', `/${chatId}/messages`, { message: '유리병은요?' });
      const stream = await readEvents(alice, submitted.body.job_id as string);
      expect(stream.closedByServer).toBe(true);
      expect(stream.events.at(-1)).toMatchObject({
        event: 'error',
        data: { error: 'answer_failed', message: expect.any(String) },
      });
      const chat = await call(alice, 'GET', `/${chatId}`);
      expect(chat.body.messages.map((m) => [m.role, m.content])).toEqual([['user', '유리병은요?']]);
    } finally {
      await app.app.get(OfflineAssistant).onModuleInit();
    }
  });
});
