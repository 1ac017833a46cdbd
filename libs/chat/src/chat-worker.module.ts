import { Module } from '@nestjs/common';

/** The AI worker's chat assistant. */
@Module({})
export class ChatWorkerModule {}
