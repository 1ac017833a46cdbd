import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, MESSAGE_BUS, type MessageBus, type QueueMessage } from '../../platform/src/index.js';
import { ScanPipeline } from './scan-pipeline.js';
import { SCAN_QUEUE, type ScanRequestedMessage } from './scan-request.js';
import { WorkerJournal } from './worker-journal.js';

/**
 * The AI worker's entry for scans: consumes `scan.requested` with many jobs in flight (the work waits
 * on the provider), and on start resumes the jobs its journal shows unfinished. Runs of one job are
 * serialised in this process, so a resumed job and its redelivered message never work side by side.
 */
@Injectable()
export class ScanJobConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScanJobConsumer.name);
  private readonly runs = new Map<string, Promise<void>>();
  private readonly maxAttempts: number;

  constructor(
    private readonly pipeline: ScanPipeline,
    private readonly journal: WorkerJournal,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.maxAttempts = config.int('QUEUE_MAX_ATTEMPTS');
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const entry of this.journal.unfinished()) {
      this.logger.log({ jobId: entry.jobId }, 'resuming a scan job from the journal');
      this.serialised(entry.message, false).catch((error: Error) =>
        this.logger.warn(
          { jobId: entry.jobId, err: error.message },
          'resumed scan job did not finish; its message will retry',
        ),
      );
    }
    await this.bus.consume<ScanRequestedMessage>(SCAN_QUEUE, (message) => this.handle(message), {
      concurrency: this.config.int('SCAN_WORKER_CONCURRENCY'),
    });
  }

  private handle(message: QueueMessage<ScanRequestedMessage>): Promise<void> {
    return this.serialised(message.body, message.attempt >= this.maxAttempts);
  }

  private serialised(message: ScanRequestedMessage, lastAttempt: boolean): Promise<void> {
    const jobId = message.job_id;
    const previous = this.runs.get(jobId) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.pipeline.run(message, lastAttempt, this.maxAttempts));
    this.runs.set(jobId, run);
    const forget = (): void => {
      if (this.runs.get(jobId) === run) this.runs.delete(jobId);
    };
    run.then(forget, forget);
    return run;
  }
}
