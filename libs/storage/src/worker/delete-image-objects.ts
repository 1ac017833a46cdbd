import { Injectable } from '@nestjs/common';
import { assertBlobKey, Clock, PermanentFailure } from '#platform';
import type { ImageDeleteMessage } from './image-messages.js';
import { ImageUploadRepository } from '../image-upload.repository.js';
import { StorageBlobs } from '../storage-blobs.js';

/** Handles `image.delete`: deleting a missing object succeeds, so redelivery is harmless. */
@Injectable()
export class DeleteImageObjects {
  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly clock: Clock,
  ) {}

  async run(message: ImageDeleteMessage): Promise<void> {
    for (const key of message.keys) {
      try {
        assertBlobKey(key);
      } catch {
        throw new PermanentFailure(`image.delete with an invalid key ${JSON.stringify(key)}`);
      }
    }
    for (const key of message.keys) await this.blobs.store.delete(key);
    // Usually already gone with its user; kept rows (other callers) record the deletion.
    await this.uploads.markDeleted(message.upload_id, this.clock.now());
  }
}
