import { Inject, Injectable, Logger } from '@nestjs/common';
import { AI_PROVIDER, AppConfig, estimateTokens, type AiChatMessage, type AiProvider } from '#platform';
import { SUMMARY_TASK } from './chat-answer-context.js';
import { ChatEvents } from '../chat-events.js';
import type { ChatJob } from '../chat-job.entity.js';
import type { ChatMessage } from '../chat-message.entity.js';
import { ChatRepository } from '../chat.repository.js';

/** Messages read per turn beyond the summary: a conversation far past it is summarised in steps. */
const MAX_UNSUMMARISED = 200;
const SUMMARY_TIMEOUT_MS = 30_000;

export interface SummaryRequestContext {
  previous: string | null;
  /** Oldest first. */
  lines: { role: 'user' | 'assistant'; content: string }[];
  /** Rough bound of the summary, in characters. */
  max_chars: number;
}

export interface RecalledConversation {
  /** What the messages before the window said, or null. */
  summary: string | null;
  /** The window, oldest first, as chat messages for the model. */
  history: AiChatMessage[];
}

/**
 * The assistant's memory of a chat: the newest messages that fit the token budget, and a rolling
 * summary of everything before them, stored on the conversation. When messages fall out of the
 * window they are folded into the summary first (the `summarize` stage), by the provider or, offline,
 * extractively. The budget covers what is sent: system prompt, summary, window and question.
 */
@Injectable()
export class ChatMemory {
  private readonly logger = new Logger(ChatMemory.name);
  private readonly budget: number;
  private readonly summaryBudget: number;

  constructor(
    private readonly chats: ChatRepository,
    private readonly events: ChatEvents,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.budget = config.int('CHAT_CONTEXT_TOKEN_BUDGET');
    this.summaryBudget = config.int('CHAT_SUMMARY_TOKEN_BUDGET');
  }

  /** `fixedTokens`: what the turn sends besides summary and history (system prompt, question). */
  async recall(job: ChatJob, question: ChatMessage, fixedTokens: number): Promise<RecalledConversation> {
    const conversation = await this.chats.findConversation(job.conversationId);
    const covered =
      conversation?.summaryThroughAt && conversation.summaryThroughId
        ? { key: conversation.summaryThroughAt.toISOString(), id: conversation.summaryThroughId }
        : undefined;
    const unsummarised = await this.chats.messagesBetween(
      job.conversationId,
      covered,
      { key: question.createdAt.toISOString(), id: question.id },
      MAX_UNSUMMARISED,
    );
    // The summary's room is reserved whole, so a growing summary never pushes the turn over budget.
    let room = this.budget - fixedTokens - this.summaryBudget;
    const window: ChatMessage[] = [];
    for (const message of unsummarised) {
      room -= estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
      if (room < 0) break;
      window.unshift(message);
    }
    const fallenOut = unsummarised.slice(window.length).reverse();
    let summary = conversation?.summary ?? null;
    if (fallenOut.length > 0) summary = await this.fold(job, summary, fallenOut);
    return {
      summary,
      history: window.map((m) => ({ role: m.role, content: m.content })),
    };
  }

  /** Folds messages (oldest first) into the summary and stores it; on failure keeps the old one. */
  private async fold(job: ChatJob, previous: string | null, messages: ChatMessage[]): Promise<string | null> {
    await this.events.stage(job.id, 'summarize', 'started', '지난 대화를 요약하고 있어요.');
    // A Hangul syllable counts as about one token: the budget in tokens bounds the characters too.
    const maxChars = this.summaryBudget;
    try {
      const context: SummaryRequestContext = {
        previous,
        lines: messages.map((m) => ({ role: m.role, content: m.content })),
        max_chars: maxChars,
      };
      const answer = (await this.provider.generateJson(
        {
          task: SUMMARY_TASK,
          system: `지금까지의 대화 요약과 새 대화를 합쳐 ${maxChars}자 이내의 한국어 요약을 만드세요. 사용자가 말한 사실(이름, 사는 곳, 가진 물건, 선호)은 빠짐없이 남기세요.`,
          prompt: [
            `[지금까지의 요약]\n${previous ?? '(없음)'}`,
            '[새 대화]',
            ...context.lines.map((l) => `${l.role === 'user' ? '사용자' : '이코'}: ${l.content}`),
          ].join('\n'),
          context,
          schemaName: 'chat_summary',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['summary'],
            properties: { summary: { type: 'string' } },
          },
        },
        AbortSignal.timeout(SUMMARY_TIMEOUT_MS),
      )) as { summary?: unknown } | null;
      const summary = String(answer?.summary ?? '').trim();
      if (!summary) throw new Error('the summary came back empty');
      // Whatever the provider wrote, the stored summary respects its budget.
      const bounded = fitTokens(summary, this.summaryBudget);
      await this.chats.saveSummary(job.conversationId, bounded, messages.at(-1)!);
      await this.events.stage(job.id, 'summarize', 'completed', '지난 대화를 요약했어요.');
      return bounded;
    } catch (error) {
      this.logger.warn(
        { jobId: job.id, err: (error as Error).message },
        'chat summary failed; keeping the old one',
      );
      await this.events.stage(job.id, 'summarize', 'failed', '지난 대화를 요약하지 못했어요.');
      return previous;
    }
  }
}

/** Role and framing tokens each chat message costs besides its text. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** The longest prefix (in whole lines when possible) within the token budget. */
function fitTokens(text: string, budget: number): string {
  if (estimateTokens(text) <= budget) return text;
  const lines = text.split('\n');
  while (lines.length > 1 && estimateTokens(lines.join('\n')) > budget) lines.shift();
  let kept = lines.join('\n');
  while (estimateTokens(kept) > budget) kept = kept.slice(Math.ceil(kept.length / 10));
  return kept;
}

/**
 * The offline summary: the user's own sentences, newest kept when over the bound (the user's facts
 * matter more than the assistant's answers, which the rule documents can give again).
 */
export function summariseExtractively(context: SummaryRequestContext): { summary: string } {
  const previous = context.previous ? context.previous.split('\n') : [];
  const said = context.lines
    .filter((l) => l.role === 'user')
    .map((l) => `- 사용자: ${l.content.replace(/\s+/g, ' ').trim().slice(0, 120)}`);
  const lines = [...new Set([...previous, ...said])];
  while (lines.length > 1 && lines.join('\n').length > context.max_chars) lines.shift();
  return { summary: lines.join('\n') };
}
