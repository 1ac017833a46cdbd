import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, MESSAGE_BUS, type MessageBus } from '#platform';
import { DeleteImageObjects } from './delete-image-objects.js';
import { parseImageDelete, parseImageUploaded } from './image-messages.js';
import { ProcessUpload } from './process-upload.js';

/**
 * The storage worker role's consumers: `image.uploaded` and `image.delete`. Its two sweeps are periodic
 * tasks of their own (QueuePendingUploads, DeleteUnusedUploads).
 */
@Injectable()
export class StorageWorker implements OnApplicationBootstrap {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly processUpload: ProcessUpload,
    private readonly deleteImageObjects: DeleteImageObjects,
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
  }
}
