import { Inject, Injectable } from '@nestjs/common';
import { MESSAGE_BUS, type MessageBus } from '#platform';
import type { ImageDeleteMessage } from './worker/image-messages.js';
import { ImageUploadRepository } from './image-upload.repository.js';

/**
 * Account deletion, step one: one durable `image.delete` job per upload, published before the user
 * row (and with it, by cascade, the upload rows) goes away; the storage worker deletes the objects.
 */
@Injectable()
export class QueueUserImageDeletion {
  constructor(
    private readonly uploads: ImageUploadRepository,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  async run(userId: string): Promise<void> {
    for (const upload of await this.uploads.findNotDeletedOfUser(userId)) {
      const message: ImageDeleteMessage = {
        upload_id: upload.id,
        keys: [upload.stagingKey, upload.publicKey, upload.thumbnailKey],
      };
      await this.bus.publish('image.delete', message, { messageId: `image.delete:${upload.id}` });
    }
  }
}
