import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { ImageUploadRepository } from './image-upload.repository.js';
import { LoadVerifiedImage, type VerifiedImage } from './load-verified-image.js';
import { QueueUserImageDeletion } from './queue-user-image-deletion.js';
import {
  ResolveOwnedUpload,
  type OwnedUpload,
  type ResolveOwnedUploadCommand,
} from './resolve-owned-upload.js';
import { StoreGeneratedImage, type GeneratedImage } from './store-generated-image.js';

/** What other domains (scan, chat, the AI worker, account deletion) may do with uploaded images. */
@Injectable()
export class ImageUploads {
  constructor(
    private readonly resolveOwned: ResolveOwnedUpload,
    private readonly loadVerified: LoadVerifiedImage,
    private readonly queueUserDeletion: QueueUserImageDeletion,
    private readonly storeGenerated: StoreGeneratedImage,
    private readonly uploads: ImageUploadRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The caller's upload behind a `cdn_url` we issued, once its object exists; anything else throws
   * ValidationFailed on `image_url`. Queues the upload for processing if that has not happened yet.
   */
  resolveOwnedUpload(command: ResolveOwnedUploadCommand): Promise<OwnedUpload> {
    return this.resolveOwned.run(command);
  }

  /** The metadata-free image for a key from `resolveOwnedUpload`; throws InvalidImage when unusable. */
  loadVerifiedImage(key: string): Promise<VerifiedImage> {
    return this.loadVerified.run(key);
  }

  /** Keeps the upload past the 24 h cleanup of unused uploads. */
  markUsed(key: string): Promise<void> {
    return this.uploads.markUsed(key, this.clock.now());
  }

  /** Stores a picture the AI drew for the user; answers its public URL. */
  storeGeneratedImage(image: GeneratedImage): Promise<string> {
    return this.storeGenerated.run(image);
  }

  /** Durably queues deletion of every object of the user; call before deleting the user row. */
  queueDeletionForUser(userId: string): Promise<void> {
    return this.queueUserDeletion.run(userId);
  }
}
