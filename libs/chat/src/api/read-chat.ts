import { Injectable } from '@nestjs/common';
import { decodeCursor, pageOf } from '#platform';
import { ChatRepository } from '../chat.repository.js';
import type { ChatDetailDto, ReadChatQuery } from '../dto/chat.dto.js';
import { OwnedChats } from './owned-chats.js';

const DEFAULT_LIMIT = 50;

/**
 * `GET /api/v1/chat/{chat_id}`: the newest page of messages, older pages by cursor. Pages are cut
 * newest-first on (created_at, id) and shown oldest → newest, so paging back never repeats or skips a
 * message (the reference paged ascending with `created_at < cursor` and repeated the oldest ones).
 */
@Injectable()
export class ReadChat {
  constructor(
    private readonly owned: OwnedChats,
    private readonly chats: ChatRepository,
  ) {}

  async run(userId: string, chatId: string, query: ReadChatQuery): Promise<ChatDetailDto> {
    const conversation = await this.owned.conversation(chatId, userId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.chats.messagesBefore(conversation.id, limit, decodeCursor(query.cursor));
    const page = pageOf(rows, limit, (m) => ({ key: m.createdAt.toISOString(), id: m.id }));
    return {
      id: conversation.id,
      title: conversation.title,
      messages: page.items.reverse().map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        image_url: m.imageUrl,
        created_at: m.createdAt.toISOString(),
      })),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
      created_at: conversation.createdAt.toISOString(),
    };
  }
}
