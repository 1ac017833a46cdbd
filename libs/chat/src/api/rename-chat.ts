import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { ChatRepository } from '../chat.repository.js';
import type { RenameChatDto } from '../dto/chat.dto.js';
import { OwnedChats } from './owned-chats.js';

/** `PATCH /api/v1/chat/{chat_id}`. */
@Injectable()
export class RenameChat {
  constructor(
    private readonly owned: OwnedChats,
    private readonly chats: ChatRepository,
    private readonly clock: Clock,
  ) {}

  async run(userId: string, chatId: string, request: RenameChatDto): Promise<void> {
    const conversation = await this.owned.conversation(chatId, userId);
    await this.chats.renameConversation(conversation.id, request.title.trim(), this.clock.now());
  }
}
