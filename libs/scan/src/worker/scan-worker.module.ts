import { Module } from '@nestjs/common';
import { CharacterDataModule } from '#character';
import { OutboxModule } from '#platform';
import { StorageDataModule } from '#storage';
import { WasteClassifierModule } from '#waste';
import { DisposalAnswer } from './disposal-answer.js';
import { JournalSync } from './journal-sync.js';
import { LandScanOutcome } from './land-scan-outcome.js';
import { LocalScanSolvers } from './local-scan-solvers.js';
import { RecordScanOutcome } from './record-scan-outcome.js';
import { ScanDataModule } from '../scan-data.module.js';
import { ScanJobConsumer } from './scan-job-consumer.js';
import { SharedStepCheckpoints } from './shared-step-checkpoints.js';
import { ScanPipeline } from './scan-pipeline.js';
import { WorkerJournal } from './worker-journal.js';

/** The AI worker's scan pipeline: vision → rule → answer → reward, journaled locally. */
@Module({
  imports: [ScanDataModule, WasteClassifierModule, OutboxModule, StorageDataModule, CharacterDataModule],
  providers: [
    WorkerJournal,
    SharedStepCheckpoints,
    DisposalAnswer,
    LocalScanSolvers,
    RecordScanOutcome,
    LandScanOutcome,
    ScanPipeline,
    ScanJobConsumer,
    JournalSync,
  ],
})
export class ScanWorkerModule {}
