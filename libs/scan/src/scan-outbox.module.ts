import { Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.js';
import { ScanDataModule } from './scan-data.module.js';

/**
 * The outbox relay, imported by both the scan API and the AI worker: one instance per process even
 * when a process runs both, and jobs are published as long as either kind of pod is up.
 */
@Module({ imports: [ScanDataModule], providers: [OutboxRelay], exports: [OutboxRelay] })
export class ScanOutboxModule {}
