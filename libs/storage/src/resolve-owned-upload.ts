import { Injectable, Logger } from '@nestjs/common';
import { DependencyUnavailable, ValidationFailed } from '#platform';
import type { BlobHead } from '#platform';
import { ImageProcessingQueue } from './worker/image-processing-queue.js';
import { ImageUploadRepository } from './image-upload.repository.js';
import { StorageBlobs } from './storage-blobs.js';

export interface ResolveOwnedUploadCommand {
  userId: string;
  imageUrl: string;
  /** The public origin of this request: a local-store URL on any other origin is not ours. */
  baseUrl: string;
}

export interface OwnedUpload {
  /** The public key behind the caller's `cdn_url`. */
  key: string;
  channel: string;
}

function refuse(message: string): ValidationFailed {
  return new ValidationFailed([{ field: 'image_url', message }]);
}

/**
 * Turns an `image_url` from a scan or chat request into one of the caller's uploads. We never fetch a
 * URL we did not issue: only a `cdn_url` this store signed/served, recorded as the caller's, with its
 * object actually uploaded, is accepted. Another user's upload gets the same answer as an unknown one.
 */
@Injectable()
export class ResolveOwnedUpload {
  private readonly logger = new Logger(ResolveOwnedUpload.name);

  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly processing: ImageProcessingQueue,
  ) {}

  async run({ userId, imageUrl, baseUrl }: ResolveOwnedUploadCommand): Promise<OwnedUpload> {
    const key = typeof imageUrl === 'string' ? this.blobs.store.keyFromPublicUrl(imageUrl, baseUrl) : null;
    if (!key) throw refuse('must be a cdn_url issued by POST /api/v1/images/{channel}');
    const upload = await this.uploads.findByPublicKey(key);
    if (!upload || upload.userId !== userId || upload.status === 'deleted') {
      throw refuse('unknown image: upload it through POST /api/v1/images/{channel} first');
    }
    if (upload.status === 'rejected') throw refuse('the uploaded file is not a supported image');
    if (upload.status === 'pending' && !(await this.headStaging(upload.stagingKey))) {
      // The staging object also vanishes when processing finished after we read the row: re-read it.
      const current = await this.uploads.findById(upload.id);
      if (current?.status === 'rejected') throw refuse('the uploaded file is not a supported image');
      if (current?.status !== 'ready') throw refuse('the image has not been uploaded yet');
    } else if (upload.status === 'pending') {
      try {
        await this.processing.enqueue([upload]);
      } catch (error) {
        // Not the caller's problem: the worker's sweep queues it later, and the AI worker processes
        // a still-pending upload inline when it loads the image.
        this.logger.warn({ err: (error as Error).message, uploadId: upload.id }, 'could not queue upload');
      }
    }
    return { key: upload.publicKey, channel: upload.channel };
  }

  private async headStaging(key: string): Promise<BlobHead | null> {
    try {
      return await this.blobs.store.head(key);
    } catch {
      throw new DependencyUnavailable('image storage');
    }
  }
}
