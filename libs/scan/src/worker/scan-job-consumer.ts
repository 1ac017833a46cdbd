import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, JobQueue, jobLimitsOf, MESSAGE_BUS, type JobDelivery, type MessageBus } from '#platform';
import { ScanPipeline } from './scan-pipeline.js';
import { SCAN_QUEUE, type ScanRequestedMessage } from '../scan-request.js';
import { SCAN_LIMITS } from '../scan.env.js';
import { WorkerJournal } from './worker-journal.js';

/**
 * The AI worker's entry for scans: consumes `scan.requested` with many jobs in flight (the work waits
 * on the provider), and on start resumes the jobs its journal shows unfinished. Runs of one job are
 * serialised in this process, so a resumed job and its redelivered message never work side by side.
 */
@Injectable()
export class ScanJobConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScanJobConsumer.name);
  private readonly queue: JobQueue<ScanRequestedMessage>;
  private readonly maxAttempts: number;

  constructor(
    private readonly pipeline: ScanPipeline,
    private readonly journal: WorkerJournal,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxAttempts = config.int('QUEUE_MAX_ATTEMPTS');
    this.queue = new JobQueue(bus, {
      queue: SCAN_QUEUE,
      concurrency: jobLimitsOf(config, SCAN_LIMITS).concurrency,
      maxAttempts: this.maxAttempts,
      jobIdOf: (message) => message.job_id,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const run = ({ message, lastAttempt }: JobDelivery<ScanRequestedMessage>): Promise<void> =>
      this.pipeline.run(message, lastAttempt, this.maxAttempts);
    for (const entry of this.journal.unfinished()) {
      this.logger.log({ jobId: entry.jobId }, 'resuming a scan job from the journal');
      this.queue
        .runResumed(entry.message, run)
        .catch((error: Error) =>
          this.logger.warn(
            { jobId: entry.jobId, err: error.message },
            'resumed scan job did not finish; its message will retry',
          ),
        );
    }
    await this.queue.consume(run);
  }
}
