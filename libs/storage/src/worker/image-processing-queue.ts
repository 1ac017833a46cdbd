import { Inject, Injectable } from '@nestjs/common';
import { Clock, MESSAGE_BUS, type MessageBus } from '#platform';
import type { ImageUploadedMessage } from './image-messages.js';
import type { ImageUpload } from '../image-upload.entity.js';
import { ImageUploadRepository } from '../image-upload.repository.js';

/** Hands uploaded objects to the storage worker through `image.uploaded`. */
@Injectable()
export class ImageProcessingQueue {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly uploads: ImageUploadRepository,
    private readonly clock: Clock,
  ) {}

  async enqueue(uploads: readonly ImageUpload[]): Promise<void> {
    for (const upload of uploads) {
      const message: ImageUploadedMessage = { upload_id: upload.id };
      // One message id per upload: the embedded queue keeps a single copy while one is still waiting.
      await this.bus.publish('image.uploaded', message, { messageId: `image.uploaded:${upload.id}` });
    }
    await this.uploads.markQueued(
      uploads.map((upload) => upload.id),
      this.clock.now(),
    );
  }
}
