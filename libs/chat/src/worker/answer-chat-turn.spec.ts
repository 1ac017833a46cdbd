import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AiProviderError,
  AppConfig,
  FixedClock,
  InMemoryKeyValueStore,
  JobEventLogs,
  PLATFORM_ENV,
  type AiProvider,
  type AiTurnPart,
  type Transactions,
} from '#platform';
import { AnswerChatTurn } from './answer-chat-turn.js';
import { ChatEvents, isClosing, type ChatEvent } from '../chat-events.js';
import type { ChatJob, ChatJobStatus } from '../chat-job.entity.js';
import type { ChatMemory } from './chat-memory.js';
import type { ChatMessage } from '../chat-message.entity.js';
import { ChatTurnOutcome } from '../chat-turn-outcome.js';
import type { ChatRepository } from '../chat.repository.js';
import { CHAT_ENV } from '../chat.env.js';
import type { RunChatTools } from '../tools/run-chat-tools.js';

/*
 * The chat turn's pipeline rules with every port faked in memory (no database, broker or key-value
 * server): which provider failures the queue retries, that a failed turn ends visibly, and that a
 * redelivered job ends with its closing event, logged once.
 */

// A failed turn warns: keep the output readable.
Logger.overrideLogger(['error']);

const JOB_ID = 'job-1';
const QUESTION: ChatMessage = {
  id: 'message-1',
  conversationId: 'chat-1',
  role: 'user',
  content: '페트병 어떻게 버려?',
  imageUrl: null,
  intent: null,
  jobId: JOB_ID,
  createdAt: new Date('2026-03-01T00:00:00Z'),
};

/** The chat tables of one job and its messages. */
class FakeChats {
  job: ChatJob = {
    id: JOB_ID,
    userId: 'user-1',
    conversationId: QUESTION.conversationId,
    userMessageId: QUESTION.id,
    assistantMessageId: null,
    status: 'queued',
    intent: null,
    imageKey: null,
    userLocation: null,
    requestedModel: null,
    error: null,
  } as ChatJob;
  readonly messages = new Map<string, ChatMessage>([[QUESTION.id, QUESTION]]);

  async findJob(id: string): Promise<ChatJob | null> {
    return id === this.job.id ? { ...this.job } : null;
  }
  async findMessage(id: string): Promise<ChatMessage | null> {
    return this.messages.get(id) ?? null;
  }
  async markJobRunning(): Promise<void> {
    if (this.job.status === 'queued') this.job.status = 'running';
  }
  async completeTurn(_manager: unknown, job: ChatJob, answer: ChatMessage): Promise<boolean> {
    if (this.finished()) return false;
    Object.assign(this.job, { status: 'completed', assistantMessageId: answer.id, intent: answer.intent });
    this.messages.set(answer.id, answer);
    return job.id === this.job.id;
  }
  async failJobIfUnfinished(_id: string, failure: ChatJob['error']): Promise<boolean> {
    if (this.finished()) return false;
    Object.assign(this.job, { status: 'failed' satisfies ChatJobStatus, error: failure });
    return true;
  }
  private finished(): boolean {
    return this.job.status === 'completed' || this.job.status === 'failed';
  }
}

/** A provider that answers each turn with the next scripted behaviour: a failure, or text in pieces. */
class ScriptedProvider {
  calls = 0;
  constructor(private readonly script: (Error | { tokens: string[]; thenFail?: Error })[]) {}

  async *streamTurn(): AsyncIterable<AiTurnPart> {
    const step = this.script[Math.min(this.calls++, this.script.length - 1)]!;
    if (step instanceof Error) throw step;
    for (const delta of step.tokens) yield { type: 'text', delta };
    if (step.thenFail) throw step.thenFail;
  }
}

const stores: InMemoryKeyValueStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/** One worker's view of the job: its rows (`chats`, shared between workers) and its own event log. */
function world(provider: ScriptedProvider, chats = new FakeChats()) {
  const clock = new FixedClock(new Date('2026-03-01T00:00:05Z'));
  const config = AppConfig.load([...PLATFORM_ENV, ...CHAT_ENV], {});
  const store = new InMemoryKeyValueStore(clock);
  stores.push(store);
  const repository = chats as unknown as ChatRepository;
  const events = new ChatEvents(new JobEventLogs(store, config));
  const memoryFailures: Error[] = [];
  const memory = {
    recall: async () => {
      const failure = memoryFailures.shift();
      if (failure) throw failure;
      return { summary: null, history: [] };
    },
  } as unknown as ChatMemory;
  const tools = { offered: () => [], run: async () => [] } as unknown as RunChatTools;
  const transactions = {
    run: (work: (manager: unknown) => Promise<unknown>) => work({}),
  } as unknown as Transactions;
  const turn = new AnswerChatTurn(
    repository,
    events,
    new ChatTurnOutcome(repository),
    memory,
    tools,
    transactions,
    clock,
    provider as unknown as AiProvider,
    config,
  );
  const logged = (): Promise<ChatEvent[]> => events.readFrom(JOB_ID, 0);
  const closing = async (): Promise<ChatEvent[]> => (await logged()).filter(isClosing);
  return { chats, turn, logged, closing, memoryFailures };
}

const transient = (): AiProviderError => new AiProviderError('upstream 503', true);
const permanent = (): AiProviderError => new AiProviderError('content policy refused the request', false);

describe('chat turn rules (fake ports)', () => {
  describe('retry classification (the same rule as the scan pipeline: shouldRetry)', () => {
    it('a transient provider failure before any token is thrown for the queue to deliver again; the redelivery answers', async () => {
      const provider = new ScriptedProvider([transient(), { tokens: ['헹궈서 ', '버려요'] }]);
      const { chats, turn, closing } = world(provider);

      await expect(turn.run(JOB_ID, false)).rejects.toThrow('upstream 503');
      expect(chats.job.status).toBe('running');
      expect(await closing()).toEqual([]);

      await turn.run(JOB_ID, true);
      expect(chats.job.status).toBe('completed');
      const [done, ...more] = await closing();
      expect(more).toEqual([]);
      expect(done?.event).toBe('done');
      expect(done?.data.result).toMatchObject({ answer: '헹궈서 버려요' });
    });

    it('a failure that is outside the provider (the database, reading the history) counts as transient', async () => {
      const { chats, turn, memoryFailures, closing } = world(new ScriptedProvider([{ tokens: ['답'] }]));
      memoryFailures.push(new Error('connection terminated'));
      await expect(turn.run(JOB_ID, false)).rejects.toThrow('connection terminated');
      await turn.run(JOB_ID, false);
      expect(chats.job.status).toBe('completed');
      expect((await closing()).map((e) => e.event)).toEqual(['done']);
    });

    it('a transient failure on the last delivery ends the turn failed with an error event', async () => {
      const { chats, turn, closing } = world(new ScriptedProvider([transient()]));
      await turn.run(JOB_ID, true);
      expect(chats.job).toMatchObject({ status: 'failed', error: { code: 'answer_failed' } });
      expect((await closing()).map((e) => [e.event, e.data.error])).toEqual([['error', 'answer_failed']]);
    });

    it('a permanent provider failure is not retried, even with deliveries left', async () => {
      const provider = new ScriptedProvider([permanent()]);
      const { chats, turn, closing } = world(provider);
      await turn.run(JOB_ID, false);
      expect(provider.calls).toBe(1);
      expect(chats.job.status).toBe('failed');
      expect((await closing()).map((e) => e.event)).toEqual(['error']);
    });

    it('a transient failure after a token was streamed is not retried: the client would see it twice', async () => {
      const provider = new ScriptedProvider([{ tokens: ['헹궈서 '], thenFail: transient() }]);
      const { chats, turn, logged } = world(provider);
      await turn.run(JOB_ID, false);
      expect(chats.job.status).toBe('failed');
      expect((await logged()).map((e) => e.event)).toEqual(['intent', 'intent', 'answer', 'token', 'error']);
    });
  });

  describe('a redelivered job ends with the closing event', () => {
    it('a finished turn whose `done` never made the log logs it once when delivered again, and answers nothing more', async () => {
      const provider = new ScriptedProvider([{ tokens: ['헹궈서 버려요'] }]);
      const first = world(provider);
      await first.turn.run(JOB_ID, false);
      const done = (await first.closing())[0];
      expect(done?.event).toBe('done');

      // Another worker sees the same rows, but a log without the ending (the first one died before
      // logging `done`, or the events expired).
      const second = world(provider, first.chats);
      await second.turn.run(JOB_ID, false);
      await second.turn.run(JOB_ID, true);
      expect(provider.calls).toBe(1);
      expect(await second.closing()).toEqual([done]);
      expect(await second.logged()).toEqual([done]);
    });

    it('a failed turn delivered again re-logs nothing when its `error` is already in the log', async () => {
      const { turn, logged } = world(new ScriptedProvider([permanent()]));
      await turn.run(JOB_ID, false);
      const before = await logged();
      await turn.run(JOB_ID, false);
      await turn.run(JOB_ID, true);
      expect(await logged()).toEqual(before);
    });
  });
});
