import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OwnedScanJobs } from './owned-scan-job.js';
import { ScanJob } from './scan-job.entity.js';
import { ScanJobRepository } from './scan-job.repository.js';
import { ScanProgress } from './scan-progress.js';
import { ScanTaxonomy } from './scan-taxonomy.js';

/** What the scan API, the AI worker and the history route share: the tables, the event log, the taxonomy. */
@Module({
  imports: [TypeOrmModule.forFeature([ScanJob])],
  providers: [ScanJobRepository, ScanProgress, ScanTaxonomy, OwnedScanJobs],
  exports: [ScanJobRepository, ScanProgress, ScanTaxonomy, OwnedScanJobs],
})
export class ScanDataModule {}
