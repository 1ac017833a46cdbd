import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WasteKnowledgeModule } from '#waste';
import { ListScanHistory } from './my-pod/list-scan-history.js';
import { OwnedScanJobs } from './api/owned-scan-job.js';
import { ScanJob } from './scan-job.entity.js';
import { ScanJobRepository } from './scan-job.repository.js';
import { ScanProgress } from './scan-progress.js';

/** What the scan API, the AI worker and the history route share: the tables, the event log, the taxonomy. */
@Module({
  imports: [TypeOrmModule.forFeature([ScanJob]), WasteKnowledgeModule],
  providers: [ScanJobRepository, ScanProgress, OwnedScanJobs, ListScanHistory],
  exports: [ScanJobRepository, ScanProgress, OwnedScanJobs, ListScanHistory, WasteKnowledgeModule],
})
export class ScanDataModule {}
