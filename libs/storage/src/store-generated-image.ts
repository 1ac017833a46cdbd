import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, Clock, configuredPublicBaseUrl } from '#platform';
import { imageKeys, type ImageChannel } from './image-formats.js';
import { ImageUpload } from './image-upload.entity.js';
import { ImageUploadRepository } from './image-upload.repository.js';
import { StorageBlobs } from './storage-blobs.js';

export interface GeneratedImage {
  userId: string;
  channel: ImageChannel;
  /** PNG bytes from the image model. */
  bytes: Buffer;
}

/**
 * A picture the assistant drew for a user: stored as that user's used, ready upload, so it is served
 * like any other image and deleted with the account. Our own model's PNG needs no metadata stripping.
 */
@Injectable()
export class StoreGeneratedImage {
  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The public URL of the stored picture. */
  async run(image: GeneratedImage): Promise<string> {
    const id = randomUUID();
    const keys = imageKeys(image.channel, id.replaceAll('-', ''), 'image/png');
    const store = this.blobs.store;
    await store.put(keys.public, image.bytes, 'image/png');
    const now = this.clock.now();
    await this.uploads.insert(
      Object.assign(new ImageUpload(), {
        id,
        userId: image.userId,
        channel: image.channel,
        stagingKey: keys.staging,
        publicKey: keys.public,
        thumbnailKey: keys.thumbnail,
        originalFilename: 'generated.png',
        declaredContentType: 'image/png',
        declaredSize: image.bytes.length,
        status: 'ready',
        detectedFormat: 'png',
        size: image.bytes.length,
        width: null,
        height: null,
        rejectionReason: null,
        queuedAt: null,
        checkedAt: null, // never pending, so never in the sweep
        processedAt: now,
        usedAt: now,
        deletedAt: null,
        createdAt: now,
        updatedAt: now,
      } satisfies ImageUpload),
    );
    return store.publicUrl(keys.public, configuredPublicBaseUrl(this.config));
  }
}
