import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AI_PROVIDER,
  AiProviderError,
  AppConfig,
  Clock,
  estimateTokens,
  jobLimitsOf,
  shouldRetry,
  Transactions,
  type AiChatMessage,
  type AiProvider,
  type AiToolCall,
} from '#platform';
import { ANSWER_TASK, ASSISTANT_PERSONA, type AssistantTurnContext } from './chat-answer-context.js';
import { ChatEvents, FIRST_TOKEN_SEQ, isClosing } from '../chat-events.js';
import type { ChatJob } from '../chat-job.entity.js';
import { ChatMemory } from './chat-memory.js';
import { ChatMessage } from '../chat-message.entity.js';
import { doneEvent, errorEvent, ChatTurnOutcome } from '../chat-turn-outcome.js';
import { ChatRepository } from '../chat.repository.js';
import { CHAT_LIMITS } from '../chat.env.js';
import { toolDefinition, type ChatToolContext, type ChatToolName } from '../tools/chat-tool.js';
import { RunChatTools, type ToolCallOutcome } from '../tools/run-chat-tools.js';

const FAILED_MESSAGE = '답변을 만들지 못했어요. 잠시 후 다시 시도해 주세요.';

/** The stored intent of a turn, from the tools it used: the app's intent names (domain-spec §9.3). */
function intentOf(tools: readonly ChatToolName[]): string {
  if (tools.includes('waste_rag') || tools.includes('vision')) return 'waste';
  return tools[0] ?? 'general';
}

interface TurnAnswer {
  text: string;
  intent: string;
  imageUrl: string | null;
}

/**
 * One chat turn in the AI worker: memory (window + rolling summary) → a bounded number of model rounds
 * in which the model may call tools (in parallel, each shown as its stage) → the final answer streamed
 * token by token → the assistant message stored → `done`. The answer is stored before `done` is
 * logged, because the app reloads the chat on `done`. Idempotent: a redelivered finished job only
 * re-logs its closing event.
 */
@Injectable()
export class AnswerChatTurn {
  private readonly logger = new Logger(AnswerChatTurn.name);
  private readonly maxRounds: number;
  private readonly turnTimeoutMs: number;

  constructor(
    private readonly chats: ChatRepository,
    private readonly events: ChatEvents,
    private readonly outcome: ChatTurnOutcome,
    private readonly memory: ChatMemory,
    private readonly tools: RunChatTools,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxRounds = config.int('CHAT_TOOL_MAX_ROUNDS');
    this.turnTimeoutMs = jobLimitsOf(config, CHAT_LIMITS).jobTimeoutMs;
  }

  async run(jobId: string, lastAttempt: boolean): Promise<void> {
    const job = await this.chats.findJob(jobId);
    // Gone with its chat or its user: nothing left to answer.
    if (!job) return;
    if (job.status === 'completed' || job.status === 'failed') return this.relogClosingEvent(job.id);
    const question = await this.chats.findMessage(job.userMessageId);
    if (!question) return;
    await this.chats.markJobRunning(job.id, this.clock.now());
    let streamed = false;
    try {
      const answer = await this.answer(job, question, () => (streamed = true));
      await this.store(job, question, answer);
    } catch (error) {
      // A provider error says whether a retry may help; anything else (a store outage) may pass.
      const transient = !(error instanceof AiProviderError) || error.retryable;
      if (shouldRetry({ transient, lastAttempt, outputStreamed: streamed })) throw error;
      this.logger.warn({ jobId, err: (error as Error).message }, 'chat turn failed');
      // The user's message stays stored; only the answer is missing.
      if (
        await this.chats.failJobIfUnfinished(
          job.id,
          { code: 'answer_failed', message: FAILED_MESSAGE },
          this.clock.now(),
        )
      ) {
        await this.events.append(job.id, errorEvent(job.id, 'answer_failed', FAILED_MESSAGE));
      }
    }
  }

  private async answer(job: ChatJob, question: ChatMessage, onFirstToken: () => void): Promise<TurnAnswer> {
    const turn = AbortSignal.timeout(this.turnTimeoutMs);
    const context: ChatToolContext = {
      jobId: job.id,
      userId: job.userId,
      question: question.content,
      userLocation: job.userLocation,
      imageKey: job.imageKey,
    };
    const offered = this.tools.offered(context);
    const system = systemPrompt(context);
    const recalled = await this.memory.recall(
      job,
      question,
      estimateTokens(system) + estimateTokens(question.content),
    );
    const messages: AiChatMessage[] = [
      { role: 'system', content: system },
      ...(recalled.summary
        ? [{ role: 'system' as const, content: `[지난 대화 요약]\n${recalled.summary}` }]
        : []),
      ...recalled.history,
      { role: 'user', content: question.content },
    ];
    const turnContext: AssistantTurnContext = {
      question: question.content,
      has_location: job.userLocation !== null,
      has_image: job.imageKey !== null,
    };

    await this.events.stage(job.id, 'intent', 'started', '질문을 이해하고 있어요.');
    // A redelivered job continues the seq after what an earlier delivery logged: no seq is reused.
    let seq = Math.max(FIRST_TOKEN_SEQ - 1, await this.events.lastTokenSeq(job.id));
    let text = '';
    let intentDecided = false;
    let answering = false;
    const used: ToolCallOutcome[] = [];
    const decideIntent = async (calls: AiToolCall[]): Promise<void> => {
      if (intentDecided) return;
      intentDecided = true;
      const names = calls.map((c) => c.name);
      await this.events.stage(
        job.id,
        'intent',
        'completed',
        names.length > 0 ? `필요한 정보: ${[...new Set(names)].join(', ')}` : '바로 답할게요.',
      );
    };

    // The last round offers no tools, so the model has to answer with what it has.
    for (let round = 0; round <= this.maxRounds; round++) {
      const tools = round < this.maxRounds ? offered.map(toolDefinition) : [];
      let calls: AiToolCall[] = [];
      for await (const part of this.provider.streamTurn(
        { task: ANSWER_TASK, messages, tools, context: turnContext },
        turn,
      )) {
        if (part.type === 'tool_calls') {
          calls = part.calls;
          continue;
        }
        if (part.delta === '') continue;
        await decideIntent([]);
        if (!answering) {
          answering = true;
          await this.events.stage(job.id, 'answer', 'started', '답변을 작성하고 있어요.');
        }
        onFirstToken();
        text += part.delta;
        await this.events.token(job.id, ++seq, part.delta);
      }
      if (calls.length === 0) break;
      await decideIntent(calls);
      const outcomes = await this.tools.run(calls, context, turn);
      used.push(...outcomes);
      messages.push(
        { role: 'assistant', content: '', toolCalls: calls },
        ...outcomes.map((o) => ({ role: 'tool' as const, toolCallId: o.call.id, content: o.content })),
      );
    }
    if (text.trim() === '') throw new AiProviderError('the provider answered with no text', true);
    return {
      text: text.trim(),
      intent: intentOf(used.flatMap((o) => (o.tool ? [o.tool] : []))),
      imageUrl: used.find((o) => o.imageUrl)?.imageUrl ?? null,
    };
  }

  private async store(job: ChatJob, question: ChatMessage, turn: TurnAnswer): Promise<void> {
    // Strictly after the question, so the chat always lists the turn in order.
    const createdAt = new Date(Math.max(this.clock.now().getTime(), question.createdAt.getTime() + 1));
    const answer = Object.assign(new ChatMessage(), {
      id: randomUUID(),
      conversationId: job.conversationId,
      role: 'assistant',
      content: turn.text,
      imageUrl: turn.imageUrl,
      intent: turn.intent,
      jobId: job.id,
      createdAt,
    } satisfies ChatMessage);
    const stored = await this.transactions.run((manager) => this.chats.completeTurn(manager, job, answer));
    if (!stored) return this.relogClosingEvent(job.id);
    await this.events.stage(job.id, 'answer', 'completed', '답변을 저장했어요.');
    await this.events.append(job.id, doneEvent(job, question, answer));
  }

  /** A finished job delivered again: make sure its stream can close, store nothing. */
  private async relogClosingEvent(jobId: string): Promise<void> {
    if ((await this.events.readFrom(jobId, 0)).some(isClosing)) return;
    const closing = await this.outcome.closingEventOf(jobId);
    if (closing) await this.events.append(jobId, closing);
  }
}

/** The persona, plus what the model must know to use its tools well in this turn. */
function systemPrompt(context: ChatToolContext): string {
  const facts = [
    context.userLocation
      ? '사용자가 위치 공유를 켰어요: 장소 도구는 그 위치를 기준으로 찾습니다.'
      : '사용자 위치를 모릅니다: 장소를 물으면 위치 공유를 켜 달라고 안내하세요.',
    context.imageKey ? '사용자가 사진을 첨부했어요: vision 도구로 먼저 확인하세요.' : null,
  ];
  return [ASSISTANT_PERSONA, ...facts.filter((f): f is string => f !== null)].join('\n');
}
