import { Injectable } from '@nestjs/common';
import { NotFound } from '#platform';
import type { ChatConversation } from '../chat-conversation.entity.js';
import type { ChatJob } from '../chat-job.entity.js';
import { ChatRepository } from '../chat.repository.js';

/** Owner-only access: another user's chat or job is answered exactly like one that does not exist. */
@Injectable()
export class OwnedChats {
  constructor(private readonly chats: ChatRepository) {}

  async conversation(id: string, userId: string): Promise<ChatConversation> {
    const conversation = await this.chats.findOwnedConversation(id, userId);
    if (!conversation) throw new NotFound('Chat not found');
    return conversation;
  }

  async job(id: string, userId: string): Promise<ChatJob> {
    const job = await this.chats.findOwnedJob(id, userId);
    if (!job) throw new NotFound('Chat job not found');
    return job;
  }
}
