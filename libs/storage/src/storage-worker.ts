import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AppConfig, MESSAGE_BUS, ShutdownSignal, type MessageBus } from '../../platform/src/index.js';
import { DeleteImageObjects } from './delete-image-objects.js';
import { DeleteUnusedUploads } from './delete-unused-uploads.js';
import { parseImageDelete, parseImageUploaded } from './image-messages.js';
import { ProcessUpload } from './process-upload.js';
import { QueuePendingUploads } from './queue-pending-uploads.js';

/**
 * The storage worker role: consumes `image.uploaded` and `image.delete`, and runs two sweeps (queue
 * uploaded-but-unqueued objects; delete uploads unused for 24 h). Sweeps stop when shutdown starts and
 * in-flight ones finish before connections close.
 */
@Injectable()
export class StorageWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StorageWorker.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sweepsInFlight = new Set<Promise<void>>();

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly shutdown: ShutdownSignal,
    private readonly processUpload: ProcessUpload,
    private readonly deleteImageObjects: DeleteImageObjects,
    private readonly queuePendingUploads: QueuePendingUploads,
    private readonly deleteUnusedUploads: DeleteUnusedUploads,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume(
      'image.uploaded',
      async (message) => {
        // Rejected files are an outcome, not a failure: the row records why, the message is acked.
        await this.processUpload.runById(parseImageUploaded(message.body).upload_id);
      },
      { concurrency: this.config.int('IMAGE_PROCESSING_CONCURRENCY') },
    );
    await this.bus.consume('image.delete', (message) =>
      this.deleteImageObjects.run(parseImageDelete(message.body)),
    );
    this.every('queue pending uploads', this.config.int('IMAGE_PENDING_SWEEP_MS'), () =>
      this.queuePendingUploads.run(),
    );
    this.every('delete unused uploads', this.config.int('IMAGE_CLEANUP_INTERVAL_MS'), () =>
      this.deleteUnusedUploads.run(),
    );
    this.shutdown.signal.addEventListener('abort', () => this.stopSweeps(), { once: true });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopSweeps();
    await Promise.allSettled([...this.sweepsInFlight]);
  }

  private every(sweep: string, intervalMs: number, work: () => Promise<unknown>): void {
    let busy = false;
    const timer = setInterval(() => {
      // A slow sweep is not stacked on top of itself.
      if (busy || this.shutdown.raised) return;
      busy = true;
      const run = work()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: (error as Error).message, sweep }, 'sweep failed'))
        .finally(() => {
          busy = false;
          this.sweepsInFlight.delete(run);
        });
      this.sweepsInFlight.add(run);
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private stopSweeps(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
