import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatConversation } from './chat-conversation.entity.js';
import { ChatEventFeed } from './api/chat-event-feed.js';
import { ChatEvents } from './chat-events.js';
import { ChatJob } from './chat-job.entity.js';
import { ChatMessage } from './chat-message.entity.js';
import { ChatTurnOutcome } from './chat-turn-outcome.js';
import { ChatRepository } from './chat.repository.js';

/** What the chat API and the AI worker share: the tables, the event log, the closing events. */
@Module({
  imports: [TypeOrmModule.forFeature([ChatConversation, ChatMessage, ChatJob])],
  providers: [ChatRepository, ChatEvents, ChatTurnOutcome, ChatEventFeed],
  exports: [ChatRepository, ChatEvents, ChatTurnOutcome, ChatEventFeed],
})
export class ChatDataModule {}
