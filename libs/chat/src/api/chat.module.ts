import { Module } from '@nestjs/common';
import { JobEventStreams, OutboxModule } from '#platform';
import { StorageDataModule } from '#storage';
import { ChatDataModule } from '../chat-data.module.js';
import { ChatSocketGateway } from './chat-socket.gateway.js';
import { ChatController } from './chat.controller.js';
import { CreateChat } from './create-chat.js';
import { DeleteChat } from './delete-chat.js';
import { ListChats } from './list-chats.js';
import { OwnedChats } from './owned-chats.js';
import { ReadChat } from './read-chat.js';
import { RenameChat } from './rename-chat.js';
import { SubmitChatMessage } from './submit-chat-message.js';

/** `/api/v1/chat`: chats, their messages, turn submission and the turn's event stream (SSE or WebSocket). */
@Module({
  imports: [ChatDataModule, OutboxModule, StorageDataModule],
  controllers: [ChatController],
  providers: [
    OwnedChats,
    ListChats,
    CreateChat,
    ReadChat,
    RenameChat,
    DeleteChat,
    SubmitChatMessage,
    JobEventStreams,
    ChatSocketGateway,
  ],
})
export class ChatModule {}
