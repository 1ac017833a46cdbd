import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, Outbox, Transactions } from '#platform';
import { ImageUploads } from '#storage';
import { ChatEvents } from '../chat-events.js';
import { ChatJob } from '../chat-job.entity.js';
import { ChatMessage } from '../chat-message.entity.js';
import { CHAT_QUEUE, type ChatRequestedMessage } from '../chat-request.js';
import { ChatRepository } from '../chat.repository.js';
import type { ChatMessageSubmittedDto, SubmitChatMessageDto } from '../dto/chat.dto.js';
import { OwnedChats } from './owned-chats.js';

export interface SubmitChatMessageCommand {
  userId: string;
  chatId: string;
  request: SubmitChatMessageDto;
  /** The public origin of this request, which `image_url` must be on. */
  baseUrl: string;
}

/**
 * `POST /api/v1/chat/{chat_id}/messages`: stores the user's message with the turn's job and queue
 * message in one transaction, so the question is kept whatever happens to the answer (the reference
 * lost it when a turn failed) and every 202 is eventually published by the relay.
 */
@Injectable()
export class SubmitChatMessage {
  private readonly logger = new Logger(SubmitChatMessage.name);

  constructor(
    private readonly owned: OwnedChats,
    private readonly images: ImageUploads,
    private readonly transactions: Transactions,
    private readonly chats: ChatRepository,
    private readonly events: ChatEvents,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async run({
    userId,
    chatId,
    request,
    baseUrl,
  }: SubmitChatMessageCommand): Promise<ChatMessageSubmittedDto> {
    const conversation = await this.owned.conversation(chatId, userId);
    // We never fetch a URL we did not issue: only the caller's own upload is accepted.
    const upload = request.image_url
      ? await this.images.resolveOwnedUpload({ userId, imageUrl: request.image_url, baseUrl })
      : null;
    const now = this.clock.now();
    const jobId = randomUUID();
    const userMessage = Object.assign(new ChatMessage(), {
      id: randomUUID(),
      conversationId: conversation.id,
      role: 'user',
      content: request.message.trim(),
      imageUrl: request.image_url ?? null,
      intent: null,
      jobId,
      createdAt: now,
    } satisfies ChatMessage);
    const job = Object.assign(new ChatJob(), {
      id: jobId,
      userId,
      conversationId: conversation.id,
      userMessageId: userMessage.id,
      assistantMessageId: null,
      status: 'queued',
      intent: null,
      imageKey: upload?.key ?? null,
      userLocation: request.user_location
        ? { latitude: request.user_location.latitude, longitude: request.user_location.longitude }
        : null,
      requestedModel: typeof request.model === 'string' ? request.model.slice(0, 64) : null,
      error: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    } satisfies ChatJob);
    const body: ChatRequestedMessage = { job_id: jobId };
    await this.transactions.run(async (manager) => {
      await this.chats.insertTurn(manager, { userMessage, job });
      await this.outbox.add(manager, CHAT_QUEUE, body);
    });
    this.outbox.wake();
    await Promise.all([
      upload ? this.images.markUsed(upload.key) : undefined,
      this.events.stage(jobId, 'queued', 'started', '질문을 받았어요.'),
    ]).catch((error: Error) =>
      // Both are conveniences (cleanup exemption, first SSE event); the turn itself is committed.
      this.logger.warn({ jobId, err: error.message }, 'chat turn accepted with a follow-up step missing'),
    );
    return { job_id: jobId, stream_url: `/api/v1/chat/${jobId}/events`, status: 'submitted' };
  }
}
