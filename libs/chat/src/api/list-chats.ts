import { Injectable } from '@nestjs/common';
import { decodeCursor, pageOf } from '#platform';
import type { ChatConversation } from '../chat-conversation.entity.js';
import { ChatRepository } from '../chat.repository.js';
import type { ChatListDto, ChatSummaryDto, ListChatsQuery } from '../dto/chat.dto.js';

const DEFAULT_LIMIT = 20;

/** `GET /api/v1/chat`: the caller's chats, most recently active first (an empty chat by creation time). */
@Injectable()
export class ListChats {
  constructor(private readonly chats: ChatRepository) {}

  async run(userId: string, query: ListChatsQuery): Promise<ChatListDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.chats.listConversations(userId, limit, decodeCursor(query.cursor));
    const page = pageOf(rows, limit, (c) => ({ key: c.lastActivityAt.toISOString(), id: c.id }));
    return { chats: page.items.map(summaryOf), next_cursor: page.nextCursor };
  }
}

function summaryOf(conversation: ChatConversation): ChatSummaryDto {
  return {
    id: conversation.id,
    title: conversation.title,
    preview: conversation.preview,
    message_count: conversation.messageCount,
    last_message_at: conversation.lastMessageAt?.toISOString() ?? null,
    created_at: conversation.createdAt.toISOString(),
  };
}
