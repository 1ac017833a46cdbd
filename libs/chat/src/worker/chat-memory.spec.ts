import { Logger } from '@nestjs/common';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AppConfig,
  estimateTokens,
  FixedClock,
  InMemoryKeyValueStore,
  JobEventLogs,
  PLATFORM_ENV,
  type AiChatMessage,
  type AiProvider,
  type AiToolTurnRequest,
  type AiTurnPart,
  type CursorPosition,
  type StructuredAiRequest,
  type Transactions,
} from '#platform';
import { AnswerChatTurn } from './answer-chat-turn.js';
import type { ChatConversation } from '../chat-conversation.entity.js';
import { ChatEvents } from '../chat-events.js';
import type { ChatJob } from '../chat-job.entity.js';
import { ChatMemory, type SummaryRequestContext } from './chat-memory.js';
import type { ChatMessage } from '../chat-message.entity.js';
import { ChatTurnOutcome } from '../chat-turn-outcome.js';
import type { ChatRepository } from '../chat.repository.js';
import { CHAT_ENV } from '../chat.env.js';
import type { RunChatTools } from '../tools/run-chat-tools.js';

/*
 * Issue 11 acceptance 5, with every port faked in memory: a 60-turn conversation through the real
 * AnswerChatTurn and ChatMemory. What each model request carries stays under the token budget, and a
 * fact the user gave at turn 2 reaches the model at turn 60 through the rolling summary.
 */

Logger.overrideLogger(['error']);

const CHAT_ID = 'chat-1';
const START = new Date('2026-03-01T00:00:00Z').getTime();
const FACT = '저는 마포구 망원동에 살고 강아지 콩이를 키워요.';

/** The chat rows of one conversation: its messages (in time order), jobs and summary. */
class ConversationRows {
  readonly conversation = {
    id: CHAT_ID,
    summary: null,
    summaryThroughAt: null,
    summaryThroughId: null,
  } as unknown as ChatConversation;
  readonly messages: ChatMessage[] = [];
  readonly jobs = new Map<string, ChatJob>();

  async findConversation(): Promise<ChatConversation> {
    return this.conversation;
  }
  async findJob(id: string): Promise<ChatJob | null> {
    return this.jobs.get(id) ?? null;
  }
  async findMessage(id: string): Promise<ChatMessage | null> {
    return this.messages.find((m) => m.id === id) ?? null;
  }
  async markJobRunning(): Promise<void> {}
  /** Newest first, strictly between the two (created_at, id) positions, as the SQL orders them. */
  async messagesBetween(
    _chatId: string,
    after: CursorPosition | undefined,
    before: CursorPosition,
    limit: number,
  ): Promise<ChatMessage[]> {
    const position = (m: ChatMessage): CursorPosition => ({ key: m.createdAt.toISOString(), id: m.id });
    const earlier = (a: CursorPosition, b: CursorPosition): boolean =>
      a.key < b.key || (a.key === b.key && a.id < b.id);
    return this.messages
      .filter((m) => earlier(position(m), before) && (!after || earlier(after, position(m))))
      .reverse()
      .slice(0, limit);
  }
  async saveSummary(_id: string, summary: string, through: ChatMessage): Promise<void> {
    Object.assign(this.conversation, {
      summary,
      summaryThroughAt: through.createdAt,
      summaryThroughId: through.id,
    });
  }
  async completeTurn(_manager: unknown, job: ChatJob, answer: ChatMessage): Promise<boolean> {
    this.messages.push(answer);
    this.jobs.set(job.id, { ...job, status: 'completed', assistantMessageId: answer.id });
    return true;
  }

  /** The user's message of turn `n` and its job, as SubmitChatMessage stores them. */
  ask(n: number, content: string): string {
    const jobId = `job-${n}`;
    const question = {
      id: `q-${String(n).padStart(3, '0')}`,
      conversationId: CHAT_ID,
      role: 'user',
      content,
      imageUrl: null,
      intent: null,
      jobId,
      createdAt: new Date(START + n * 60_000),
    } as ChatMessage;
    this.messages.push(question);
    this.jobs.set(jobId, {
      id: jobId,
      userId: 'user-1',
      conversationId: CHAT_ID,
      userMessageId: question.id,
      assistantMessageId: null,
      status: 'queued',
      imageKey: null,
      userLocation: null,
    } as ChatJob);
    return jobId;
  }
}

/**
 * The model, recording every request. Its summaries do what the summary prompt asks: keep the facts
 * the user gave about themselves (here: sentences starting with "저는"), drop the rest.
 */
class RecordingModel {
  readonly turns: AiChatMessage[][] = [];
  readonly summaries: SummaryRequestContext[] = [];

  async *streamTurn(request: AiToolTurnRequest): AsyncIterable<AiTurnPart> {
    this.turns.push(request.messages.map((m) => ({ ...m })));
    yield {
      type: 'text',
      delta:
        '플라스틱 용기는 내용물을 비우고 물로 헹군 뒤, 라벨과 뚜껑을 떼어 재질별로 분리배출해 주세요. 오염이 심하면 종량제 봉투에 버려요.',
    };
  }

  async generateJson(request: StructuredAiRequest): Promise<unknown> {
    const context = request.context as SummaryRequestContext;
    this.summaries.push(context);
    const facts = context.lines.filter((l) => l.role === 'user' && l.content.startsWith('저는'));
    const lines = [context.previous, ...facts.map((l) => `- 사용자: ${l.content}`)].filter(Boolean);
    return { summary: lines.join('\n') || '- 특별한 사실 없음' };
  }
}

const stores: InMemoryKeyValueStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

/** Estimated tokens of what one request sends, counted as ChatMemory counts a message. */
const sentTokens = (messages: AiChatMessage[]): number =>
  messages.reduce((sum, m) => sum + estimateTokens(m.content) + (m.role === 'system' ? 0 : 4), 0);

describe('chat memory over a long conversation (fake ports)', () => {
  it('keeps 60 turns under the token budget and brings the fact of turn 2 to turn 60 through the summary', async () => {
    const clock = new FixedClock(new Date(START));
    const config = AppConfig.load([...PLATFORM_ENV, ...CHAT_ENV], {});
    const store = new InMemoryKeyValueStore(clock);
    stores.push(store);
    const rows = new ConversationRows();
    const repository = rows as unknown as ChatRepository;
    const model = new RecordingModel();
    const provider = model as unknown as AiProvider;
    const events = new ChatEvents(new JobEventLogs(store, config));
    const turn = new AnswerChatTurn(
      repository,
      events,
      new ChatTurnOutcome(repository),
      new ChatMemory(repository, events, provider, config),
      { offered: () => [], run: async () => [] } as unknown as RunChatTools,
      { run: (work: (manager: unknown) => Promise<unknown>) => work({}) } as unknown as Transactions,
      clock,
      provider,
      config,
    );

    for (let n = 1; n <= 60; n++) {
      const question =
        n === 2 ? FACT : `${n}번째 질문이에요. 플라스틱 컵이랑 배달 용기는 어떻게 분리배출해야 하나요?`;
      await turn.run(rows.ask(n, question), true);
    }

    const budget = config.int('CHAT_CONTEXT_TOKEN_BUDGET');
    expect(model.turns).toHaveLength(60);
    const sizes = model.turns.map(sentTokens);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(budget);
    // The conversation outgrew the window: the early turns were folded into the summary.
    expect(sentTokens(rows.messages.map((m) => ({ role: m.role, content: m.content })))).toBeGreaterThan(
      2 * budget,
    );

    const folded = model.summaries.find((s) => s.lines.some((l) => l.content === FACT));
    expect(folded, 'turn 2 was handed to the summary once it left the window').toBeDefined();
    const last = model.turns.at(-1)!;
    expect(last.filter((m) => m.role !== 'system').some((m) => m.content === FACT)).toBe(false);
    expect(
      last.find((m) => m.role === 'system' && m.content.startsWith('[지난 대화 요약]'))?.content,
    ).toContain(FACT);
    expect(last.at(-1)).toEqual({ role: 'user', content: expect.stringMatching(/^60번째 질문/) });
    expect(rows.messages).toHaveLength(120);
  });
});
