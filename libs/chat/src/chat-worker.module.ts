import { Module } from '@nestjs/common';
import { CharacterDataModule } from '../../character/src/index.js';
import { StorageDataModule } from '../../storage/src/index.js';
import { WasteClassifierModule } from '../../waste/src/index.js';
import { AnswerChatTurn } from './answer-chat-turn.js';
import { ChatDataModule } from './chat-data.module.js';
import { ChatDisposalRules } from './chat-disposal-rules.js';
import { ChatRequestConsumer } from './chat-request-consumer.js';
import { LocalChatSolvers } from './local-chat-solvers.js';

/** The AI worker's chat assistant: consumes `chat.requested`, streams the answer, stores the turn. */
@Module({
  imports: [ChatDataModule, WasteClassifierModule, StorageDataModule, CharacterDataModule],
  providers: [ChatDisposalRules, LocalChatSolvers, AnswerChatTurn, ChatRequestConsumer],
})
export class ChatWorkerModule {}
