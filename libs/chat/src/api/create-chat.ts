import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '#platform';
import { ChatConversation } from '../chat-conversation.entity.js';
import { ChatRepository } from '../chat.repository.js';
import type { ChatCreatedDto, CreateChatDto } from '../dto/chat.dto.js';

/** `POST /api/v1/chat`: an empty chat; untitled ones are named after their first question later. */
@Injectable()
export class CreateChat {
  constructor(
    private readonly chats: ChatRepository,
    private readonly clock: Clock,
  ) {}

  async run(userId: string, request: CreateChatDto): Promise<ChatCreatedDto> {
    const now = this.clock.now();
    const conversation = Object.assign(new ChatConversation(), {
      id: randomUUID(),
      userId,
      title: request.title?.trim() ?? null,
      preview: null,
      messageCount: 0,
      lastMessageAt: null,
      lastActivityAt: now,
      summary: null,
      summaryThroughAt: null,
      summaryThroughId: null,
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    } satisfies ChatConversation);
    await this.chats.insertConversation(conversation);
    return { id: conversation.id, title: conversation.title, created_at: now.toISOString() };
  }
}
