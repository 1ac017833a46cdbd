import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { CursorPosition } from '#platform';
import { ChatConversation } from './chat-conversation.entity.js';
import { ChatJob, type ChatFailure } from './chat-job.entity.js';
import { ChatMessage } from './chat-message.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREVIEW_LENGTH = 100;
const TITLE_FROM_MESSAGE_LENGTH = 30;
const UNFINISHED = ['queued', 'running'] as const;

/** A malformed id is simply not found (and never reaches PostgreSQL's uuid parser). */
const isUuid = (id: string): boolean => UUID.test(id);

export interface SubmittedTurn {
  userMessage: ChatMessage;
  job: ChatJob;
}

/** The only place that queries the chat tables: conversations, messages and jobs. */
@Injectable()
export class ChatRepository {
  constructor(
    @InjectRepository(ChatConversation) private readonly conversations: Repository<ChatConversation>,
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    @InjectRepository(ChatJob) private readonly jobs: Repository<ChatJob>,
  ) {}

  async insertConversation(conversation: ChatConversation): Promise<void> {
    await this.conversations.insert(conversation);
  }

  async findOwnedConversation(id: string, userId: string): Promise<ChatConversation | null> {
    if (!isUuid(id)) return null;
    return this.conversations.findOneBy({ id, userId, deletedAt: IsNull() });
  }

  /** The user's live chats most recent first, `limit + 1` rows after the cursor (for pageOf). */
  listConversations(userId: string, limit: number, after?: CursorPosition): Promise<ChatConversation[]> {
    const query = this.conversations
      .createQueryBuilder('chat')
      .where('chat.user_id = :userId AND chat.deleted_at IS NULL', { userId })
      .orderBy('chat.last_activity_at', 'DESC')
      .addOrderBy('chat.id', 'DESC')
      .take(limit + 1);
    if (after) {
      query.andWhere('(chat.last_activity_at < :at OR (chat.last_activity_at = :at AND chat.id < :id))', {
        at: new Date(after.key),
        id: after.id,
      });
    }
    return query.getMany();
  }

  async renameConversation(id: string, title: string, now: Date): Promise<void> {
    await this.conversations.update({ id }, { title, updatedAt: now });
  }

  async softDeleteConversation(id: string, now: Date): Promise<void> {
    await this.conversations.update({ id }, { deletedAt: now, updatedAt: now });
  }

  /** A chat's messages newest first, `limit + 1` rows older than the cursor (for pageOf). */
  messagesBefore(conversationId: string, limit: number, before?: CursorPosition): Promise<ChatMessage[]> {
    const query = this.messages
      .createQueryBuilder('message')
      .where('message.conversation_id = :conversationId', { conversationId })
      .orderBy('message.created_at', 'DESC')
      .addOrderBy('message.id', 'DESC')
      .take(limit + 1);
    if (before) {
      query.andWhere('(message.created_at < :at OR (message.created_at = :at AND message.id < :id))', {
        at: new Date(before.key),
        id: before.id,
      });
    }
    return query.getMany();
  }

  findConversation(id: string): Promise<ChatConversation | null> {
    return this.conversations.findOneBy({ id });
  }

  /**
   * Up to `limit` messages strictly between two positions, newest first: what the assistant may
   * remember before a question (`before`), after what the conversation's summary already covers.
   */
  messagesBetween(
    conversationId: string,
    after: CursorPosition | undefined,
    before: CursorPosition,
    limit: number,
  ): Promise<ChatMessage[]> {
    const query = this.messages
      .createQueryBuilder('message')
      .where('message.conversation_id = :conversationId', { conversationId })
      .andWhere(
        '(message.created_at < :beforeAt OR (message.created_at = :beforeAt AND message.id < :beforeId))',
        {
          beforeAt: new Date(before.key),
          beforeId: before.id,
        },
      )
      .orderBy('message.created_at', 'DESC')
      .addOrderBy('message.id', 'DESC')
      .take(limit);
    if (after) {
      query.andWhere(
        '(message.created_at > :afterAt OR (message.created_at = :afterAt AND message.id > :afterId))',
        {
          afterAt: new Date(after.key),
          afterId: after.id,
        },
      );
    }
    return query.getMany();
  }

  async saveSummary(id: string, summary: string, through: ChatMessage): Promise<void> {
    await this.conversations.update(
      { id },
      { summary, summaryThroughAt: through.createdAt, summaryThroughId: through.id },
    );
  }

  /** Stores a message outside a turn (tests seed long chats with it). */
  async insertMessage(message: ChatMessage): Promise<void> {
    await this.messages.manager.transaction((manager) => this.addMessage(manager, message));
  }

  /** The user message and its job (the caller's transaction adds the job's queue message). */
  async insertTurn(manager: EntityManager, turn: SubmittedTurn): Promise<void> {
    await this.addMessage(manager, turn.userMessage);
    await manager.getRepository(ChatJob).insert(turn.job as QueryDeepPartialEntity<ChatJob>);
  }

  findJob(id: string): Promise<ChatJob | null> {
    return isUuid(id) ? this.jobs.findOneBy({ id }) : Promise.resolve(null);
  }

  findJobs(ids: string[]): Promise<ChatJob[]> {
    const valid = ids.filter(isUuid);
    return valid.length > 0 ? this.jobs.findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  findOwnedJob(id: string, userId: string): Promise<ChatJob | null> {
    return isUuid(id) ? this.jobs.findOneBy({ id, userId }) : Promise.resolve(null);
  }

  findMessage(id: string): Promise<ChatMessage | null> {
    return this.messages.findOneBy({ id });
  }

  async markJobRunning(id: string, now: Date): Promise<void> {
    await this.jobs.update({ id, status: 'queued' }, { status: 'running', updatedAt: now });
  }

  /**
   * Completes an unfinished job with its assistant message. Returns false (storing nothing) when the
   * job was already finished by an earlier delivery. The job update runs first so that on PostgreSQL
   * its row lock serialises two deliveries finishing the same job; the unique (job_id, role) index
   * backs it on SQLite.
   */
  async completeTurn(manager: EntityManager, job: ChatJob, answer: ChatMessage): Promise<boolean> {
    const result = await manager.getRepository(ChatJob).update(
      { id: job.id, status: In([...UNFINISHED]) },
      {
        status: 'completed',
        intent: answer.intent,
        assistantMessageId: answer.id,
        completedAt: answer.createdAt,
        updatedAt: answer.createdAt,
      },
    );
    if ((result.affected ?? 0) === 0) return false;
    await this.addMessage(manager, answer);
    return true;
  }

  async failJobIfUnfinished(id: string, failure: ChatFailure, now: Date): Promise<boolean> {
    const result = await this.jobs.update(
      { id, status: In([...UNFINISHED]) },
      { status: 'failed', error: failure, completedAt: now, updatedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Inserts a message and moves its chat's counters, preview and sort key along with it. */
  private async addMessage(manager: EntityManager, message: ChatMessage): Promise<void> {
    await manager.getRepository(ChatMessage).insert(message);
    await manager
      .createQueryBuilder()
      .update(ChatConversation)
      .set({
        messageCount: () => 'message_count + 1',
        preview: message.content.slice(0, PREVIEW_LENGTH),
        lastMessageAt: message.createdAt,
        lastActivityAt: message.createdAt,
        updatedAt: message.createdAt,
        // An untitled chat is named after its first question, so the list shows something useful.
        ...(message.role === 'user' ? { title: () => 'COALESCE(title, :firstQuestion)' } : {}),
      })
      .setParameter('firstQuestion', message.content.slice(0, TITLE_FROM_MESSAGE_LENGTH))
      .where('id = :id', { id: message.conversationId })
      .execute();
  }
}
