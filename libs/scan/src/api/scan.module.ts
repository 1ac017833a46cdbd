import { Module } from '@nestjs/common';
import { JobEventStreams, OutboxModule } from '#platform';
import { StorageDataModule } from '#storage';
import { ListScanCategories } from './list-scan-categories.js';
import { ReadScanJob } from './read-scan-job.js';
import { ScanController } from './scan.controller.js';
import { ScanDataModule } from '../scan-data.module.js';
import { ScanEventFeed } from './scan-event-feed.js';
import { SubmitScan } from './submit-scan.js';

/** `/api/v1/scan`: submit, progress (SSE), result, status, categories. */
@Module({
  imports: [ScanDataModule, OutboxModule, StorageDataModule],
  controllers: [ScanController],
  providers: [SubmitScan, ReadScanJob, ScanEventFeed, JobEventStreams, ListScanCategories],
})
export class ScanModule {}
