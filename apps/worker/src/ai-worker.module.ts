import { Module } from '@nestjs/common';
import { ChatWorkerModule } from '../../../libs/chat/src/worker/chat-worker.module.js';
import { ScanWorkerModule } from '../../../libs/scan/src/worker/scan-worker.module.js';

/** The AI worker role: the scan pipeline and the chat assistant share its provider and journal. */
@Module({ imports: [ScanWorkerModule, ChatWorkerModule] })
export class AiWorkerModule {}
