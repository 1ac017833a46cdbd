import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock, PeriodicRunner } from '#platform';
import { ImageProcessingQueue } from './image-processing-queue.js';
import { ImageUploadRepository } from '../image-upload.repository.js';
import { StorageBlobs } from '../storage-blobs.js';
import { uploadWindowMs } from '../upload-window.js';

/** A queued upload not processed within this long is queued again (its message may have died). */
const REQUEUE_AFTER_MS = 5 * 60_000;
/** Uploads checked per sweep (never checked first, newest first: the ones most likely just uploaded). */
const SWEEP_BATCH = 100;

/**
 * The browser's PUT goes straight to blob storage, so nothing tells us it happened. This sweep finds
 * pending uploads whose object now exists and queues them for processing; chat and profile images
 * rely on it, scans are also queued by `resolveOwnedUpload`. A periodic task of the storage worker,
 * first one interval after boot.
 */
@Injectable()
export class QueuePendingUploads {
  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly processing: ImageProcessingQueue,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    runner: PeriodicRunner,
  ) {
    runner.schedule({
      name: 'storage-queue-pending-uploads',
      everyMs: 'IMAGE_PENDING_SWEEP_MS',
      firstRunAfterMs: 'one interval',
      run: async () => void (await this.run()),
    });
  }

  /** Returns how many uploads were queued. */
  async run(): Promise<number> {
    const now = this.clock.now();
    // Past its upload window a URL can no longer be used, so its row leaves the sweep for good.
    const candidates = await this.uploads.findPendingToQueue(
      new Date(now.getTime() - uploadWindowMs(this.config)),
      new Date(now.getTime() - REQUEUE_AFTER_MS),
      SWEEP_BATCH,
    );
    const uploaded = [];
    const absent = [];
    for (const upload of candidates) {
      if (await this.blobs.store.head(upload.stagingKey)) uploaded.push(upload);
      else absent.push(upload.id);
    }
    await this.uploads.markChecked(absent, now);
    await this.processing.enqueue(uploaded);
    return uploaded.length;
  }
}
