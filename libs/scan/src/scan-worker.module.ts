import { Module } from '@nestjs/common';

/** The AI worker's scan pipeline: vision → rule → answer → reward. */
@Module({})
export class ScanWorkerModule {}
