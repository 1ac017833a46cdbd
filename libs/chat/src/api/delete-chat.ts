import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { ChatRepository } from '../chat.repository.js';
import { OwnedChats } from './owned-chats.js';

/** `DELETE /api/v1/chat/{chat_id}`: a soft delete; the chat disappears from every route at once. */
@Injectable()
export class DeleteChat {
  constructor(
    private readonly owned: OwnedChats,
    private readonly chats: ChatRepository,
    private readonly clock: Clock,
  ) {}

  async run(userId: string, chatId: string): Promise<void> {
    const conversation = await this.owned.conversation(chatId, userId);
    await this.chats.softDeleteConversation(conversation.id, this.clock.now());
  }
}
