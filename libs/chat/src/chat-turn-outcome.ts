import { Injectable } from '@nestjs/common';
import { stageSeq, type ChatEvent } from './chat-events.js';
import type { ChatJob } from './chat-job.entity.js';
import type { ChatMessage } from './chat-message.entity.js';
import { ChatRepository } from './chat.repository.js';

/** The `done` event of a completed turn: what the app reads before it reloads the chat. */
export function doneEvent(job: ChatJob, question: ChatMessage, answer: ChatMessage): ChatEvent {
  return {
    event: 'done',
    data: {
      job_id: job.id,
      stage: 'done',
      status: 'completed',
      seq: stageSeq('done', 'completed'),
      progress: 100,
      result: {
        answer: answer.content,
        intent: answer.intent,
        // No user id here: the earlier backend leaked it through this payload.
        persistence: {
          conversation_id: job.conversationId,
          user_message: question.content,
          assistant_message: answer.content,
          assistant_message_created_at: answer.createdAt.toISOString(),
        },
      },
      message: '답변이 완료되었어요.',
    },
  };
}

/** The `error` event of a failed turn; its code never means "retry", the user message stays stored. */
export function errorEvent(jobId: string, code: string, message: string): ChatEvent {
  return { event: 'error', data: { job_id: jobId, error: code, message, seq: stageSeq('done', 'failed') } };
}

/**
 * The closing event rebuilt from the stored rows, so a finished turn replays its ending even when its
 * events expired or the worker died between storing the answer and logging `done`.
 */
@Injectable()
export class ChatTurnOutcome {
  constructor(private readonly chats: ChatRepository) {}

  async closingEventOf(jobId: string): Promise<ChatEvent | null> {
    return this.closingEventOfJob(await this.chats.findJob(jobId));
  }

  /** The same for a job row already read (null: no such job). */
  async closingEventOfJob(job: ChatJob | null): Promise<ChatEvent | null> {
    if (job?.status === 'failed') {
      return errorEvent(job.id, job.error?.code ?? 'failed', job.error?.message ?? '답변을 만들지 못했어요.');
    }
    if (job?.status !== 'completed' || !job.assistantMessageId) return null;
    const [question, answer] = await Promise.all([
      this.chats.findMessage(job.userMessageId),
      this.chats.findMessage(job.assistantMessageId),
    ]);
    return question && answer ? doneEvent(job, question, answer) : null;
  }
}
