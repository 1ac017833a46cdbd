import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AI_PROVIDER,
  AiProviderError,
  Clock,
  Transactions,
  type AiProvider,
} from '../../platform/src/index.js';
import { UNCLASSIFIED, WasteClassifier } from '../../waste/src/index.js';
import { CharacterCatalog } from '../../character/src/index.js';
import { ImageUploads } from '../../storage/src/index.js';
import {
  ANSWER_TASK,
  ASSISTANT_PERSONA,
  referenceText,
  type CharacterFact,
  type ChatAnswerContext,
} from './chat-answer-context.js';
import { ChatDisposalRules, type RuleSummary } from './chat-disposal-rules.js';
import { ChatEvents, FIRST_TOKEN_SEQ, isClosing } from './chat-events.js';
import { detectIntent } from './chat-intent.js';
import type { ChatJob } from './chat-job.entity.js';
import { ChatMessage } from './chat-message.entity.js';
import { doneEvent, errorEvent, ChatTurnOutcome } from './chat-turn-outcome.js';
import { ChatRepository } from './chat.repository.js';

/** Earlier messages the assistant sees, for follow-up questions. */
const HISTORY_MESSAGES = 6;
/** Bound of one answer, so a hung provider cannot hold a delivery forever. */
const ANSWER_TIMEOUT_MS = 120_000;
const DEFAULT_CHARACTER = '이코';
const FAILED_MESSAGE = '답변을 만들지 못했어요. 잠시 후 다시 시도해 주세요.';

/** Failures before any token was streamed may be retried by redelivery; provider errors say whether. */
function mayRetry(error: unknown, streamed: boolean): boolean {
  if (error instanceof AiProviderError) return error.retryable && !streamed;
  return true;
}

/**
 * One chat turn in the AI worker: intent (keyword rules, plus vision with an image) → context (rules,
 * characters) → the answer streamed token by token through the event log → the assistant message
 * stored → `done`. The answer is stored before `done` is logged, because the app reloads the chat on
 * `done`. Idempotent: a redelivered finished job only re-logs its closing event.
 */
@Injectable()
export class AnswerChatTurn {
  private readonly logger = new Logger(AnswerChatTurn.name);

  constructor(
    private readonly chats: ChatRepository,
    private readonly events: ChatEvents,
    private readonly outcome: ChatTurnOutcome,
    private readonly rules: ChatDisposalRules,
    private readonly characters: CharacterCatalog,
    private readonly images: ImageUploads,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly classifier: WasteClassifier,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
  ) {}

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
      const context = await this.gatherContext(job, question);
      await this.events.stage(job.id, 'answer', 'started', '답변을 작성하고 있어요.');
      const text = await this.streamAnswer(job, question, context, () => (streamed = true));
      await this.store(job, question, text, context);
    } catch (error) {
      if (!lastAttempt && mayRetry(error, streamed)) throw error;
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

  private async gatherContext(job: ChatJob, question: ChatMessage): Promise<ChatAnswerContext> {
    await this.events.stage(job.id, 'intent', 'started', '질문을 이해하고 있어요.');
    const catalog = await this.characters.list();
    const named = catalog.filter((c) => new RegExp(`(?<![가-힣])${c.name}`).test(question.content));
    let rules = this.rules.match(question.content);
    const intent = detectIntent(question.content, {
      mentionsItem: rules !== null,
      mentionsCharacter: named.some((c) => c.name !== DEFAULT_CHARACTER),
    });
    await this.events.stage(job.id, 'intent', 'completed', `의도: ${intent}`);

    if (job.imageKey) rules = (await this.lookAtImage(job, question)) ?? rules;
    const finalIntent = intent === 'general' && rules ? 'waste' : intent;
    if (rules) {
      await this.events.stage(job.id, 'waste_rag', 'started', '분리배출 규칙을 찾고 있어요.');
      await this.events.stage(job.id, 'waste_rag', 'completed', rules.name);
    }
    let character: CharacterFact | null = null;
    if (finalIntent === 'character') {
      await this.events.stage(job.id, 'character', 'started', '캐릭터 정보를 찾고 있어요.');
      const found =
        named.find((c) => c.name !== DEFAULT_CHARACTER) ??
        catalog.find((c) => rules !== null && c.match === rules.middle_category) ??
        named[0];
      character = found ? { name: found.name, type: found.type, dialog: found.dialog } : null;
      await this.events.stage(job.id, 'character', 'completed', character?.name);
    }
    if (finalIntent === 'location') {
      // libs/location exports no place search yet: the answer points to the app's map instead.
      await this.events.stage(job.id, 'location', 'started', '주변 장소 안내를 준비하고 있어요.');
      await this.events.stage(job.id, 'location', 'completed');
    }
    return {
      intent: finalIntent,
      question: question.content,
      rules,
      character,
      character_names: catalog.map((c) => c.name),
      has_location: job.userLocation !== null,
    };
  }

  /** Vision through the shared classifier (as the scan's); fails open (the text alone still gets an answer). */
  private async lookAtImage(job: ChatJob, question: ChatMessage): Promise<RuleSummary | null> {
    await this.events.stage(job.id, 'vision', 'started', '사진을 살펴보고 있어요.');
    try {
      const image = await this.images.loadVerifiedImage(job.imageKey!);
      const { classification } = await this.classifier.classify(
        {
          image: { bytes: image.bytes, mimeType: image.mimeType },
          text: question.content,
          filename: image.filename,
        },
        { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) },
      );
      const rules = this.rules.find(classification.major_category, classification.middle_category);
      await this.events.stage(job.id, 'vision', 'completed', rules?.name ?? UNCLASSIFIED);
      return rules;
    } catch (error) {
      this.logger.warn(
        { jobId: job.id, err: (error as Error).message },
        'chat vision failed; answering from the text',
      );
      await this.events.stage(job.id, 'vision', 'completed', '사진을 인식하지 못했어요.');
      return null;
    }
  }

  private async streamAnswer(
    job: ChatJob,
    question: ChatMessage,
    context: ChatAnswerContext,
    onFirstToken: () => void,
  ): Promise<string> {
    const history = (
      await this.chats.messagesBefore(job.conversationId, HISTORY_MESSAGES, {
        key: question.createdAt.toISOString(),
        id: question.id,
      })
    )
      .slice(0, HISTORY_MESSAGES)
      .reverse()
      .map((m) => `${m.role === 'user' ? '사용자' : '이코'}: ${m.content}`);
    const prompt = [
      ...(history.length > 0 ? ['[이전 대화]', ...history, ''] : []),
      '[참고 자료]',
      referenceText(context),
      '',
      `사용자: ${question.content}`,
    ].join('\n');
    // A redelivered job continues the seq after what an earlier delivery logged: no seq is reused.
    let seq = Math.max(FIRST_TOKEN_SEQ - 1, await this.events.lastTokenSeq(job.id));
    let text = '';
    for await (const delta of this.provider.streamText(
      { task: ANSWER_TASK, system: ASSISTANT_PERSONA, prompt, context },
      AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    )) {
      if (delta === '') continue;
      onFirstToken();
      text += delta;
      await this.events.token(job.id, ++seq, delta);
    }
    if (text.trim() === '') throw new AiProviderError('the provider answered with no text', true);
    return text.trim();
  }

  private async store(
    job: ChatJob,
    question: ChatMessage,
    text: string,
    context: ChatAnswerContext,
  ): Promise<void> {
    // Strictly after the question, so the chat always lists the turn in order.
    const createdAt = new Date(Math.max(this.clock.now().getTime(), question.createdAt.getTime() + 1));
    const answer = Object.assign(new ChatMessage(), {
      id: randomUUID(),
      conversationId: job.conversationId,
      role: 'assistant',
      content: text,
      imageUrl: null,
      intent: context.intent,
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
