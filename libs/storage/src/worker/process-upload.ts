import { Injectable, Logger } from '@nestjs/common';
import { BlobNotFound, BlobTooLarge, Clock } from '#platform';
import { MAX_IMAGE_BYTES, mimeTypeOf, publicFormatFor, THUMBNAIL_FORMAT } from '../image-formats.js';
import type { ImageUpload } from '../image-upload.entity.js';
import { ImageUploadRepository, type ImageFacts } from '../image-upload.repository.js';
import { InvalidImage } from './invalid-image.js';
import { StorageBlobs } from '../storage-blobs.js';
import { stripImageMetadata } from './strip-image-metadata.js';

export type ProcessingOutcome =
  | { status: 'ready' | 'deleted' }
  | { status: 'rejected'; reason: string }
  /** No object was PUT yet: stays pending. */
  | { status: 'not-uploaded' }
  /** The upload row no longer exists (its account was deleted). */
  | { status: 'gone' };

/**
 * The storage worker's step for one upload: verify the real type and size, write the metadata-free
 * public image and its thumbnail, mark the row. Idempotent: delivery is at-least-once and the AI worker
 * may run it inline at the same time; the outputs are deterministic and only a pending row changes.
 */
@Injectable()
export class ProcessUpload {
  private readonly logger = new Logger(ProcessUpload.name);

  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly clock: Clock,
  ) {}

  async runById(uploadId: string): Promise<ProcessingOutcome> {
    const upload = await this.uploads.findById(uploadId);
    return upload ? this.run(upload) : { status: 'gone' };
  }

  async run(upload: ImageUpload): Promise<ProcessingOutcome> {
    const store = this.blobs.store;
    if (upload.status === 'rejected') return { status: 'rejected', reason: upload.rejectionReason ?? '' };
    if (upload.status === 'deleted') return { status: 'deleted' };
    if (upload.status === 'ready') {
      // A run that stopped between marking the row and deleting the original finishes the job here.
      await store.delete(upload.stagingKey);
      return { status: 'ready' };
    }
    let original: Buffer;
    try {
      original = await store.get(upload.stagingKey, { maxBytes: MAX_IMAGE_BYTES });
    } catch (error) {
      if (error instanceof BlobTooLarge) {
        return this.reject(upload, `the file is larger than ${MAX_IMAGE_BYTES} bytes`, {
          detectedFormat: null,
          size: error.size,
        });
      }
      if (error instanceof BlobNotFound) return this.afterStagingVanished(upload);
      throw error;
    }
    let clean;
    try {
      clean = await stripImageMetadata(original, publicFormatFor(upload.declaredContentType));
    } catch (error) {
      if (!(error instanceof InvalidImage)) throw error;
      return this.reject(upload, error.message, { detectedFormat: null, size: original.length });
    }
    await store.put(upload.publicKey, clean.image, mimeTypeOf(publicFormatFor(upload.declaredContentType)));
    await store.put(upload.thumbnailKey, clean.thumbnail, mimeTypeOf(THUMBNAIL_FORMAT));
    const facts: ImageFacts = {
      detectedFormat: clean.detectedFormat,
      size: original.length,
      width: clean.width,
      height: clean.height,
    };
    if (!(await this.uploads.markReady(upload.id, facts, this.clock.now()))) {
      return this.settleLostRace(upload);
    }
    await store.delete(upload.stagingKey);
    return { status: 'ready' };
  }

  /**
   * No staging object: either nothing was PUT yet, or a concurrent run (storage worker vs the AI
   * worker's inline run) finished and removed it after we read the row. The row tells which.
   */
  private async afterStagingVanished(upload: ImageUpload): Promise<ProcessingOutcome> {
    const current = await this.uploads.findById(upload.id);
    if (!current) return { status: 'gone' };
    return current.status === 'pending' ? { status: 'not-uploaded' } : this.run(current);
  }

  private async reject(upload: ImageUpload, reason: string, facts: ImageFacts): Promise<ProcessingOutcome> {
    this.logger.warn({ uploadId: upload.id, reason }, 'upload rejected');
    await this.uploads.markRejected(upload.id, reason, facts, this.clock.now());
    // A file that lied about being an image has no further use: nothing keeps a copy.
    await this.blobs.store.delete(upload.stagingKey);
    return { status: 'rejected', reason };
  }

  /**
   * Someone changed the row while we worked: another run finished it (same bytes, nothing to do), or
   * it was deleted meanwhile, in which case the objects just written must not outlive it.
   */
  private async settleLostRace(upload: ImageUpload): Promise<ProcessingOutcome> {
    const current = await this.uploads.findById(upload.id);
    if (current?.status === 'ready') return { status: 'ready' };
    if (current?.status === 'rejected') return { status: 'rejected', reason: current.rejectionReason ?? '' };
    await this.blobs.store.delete(upload.publicKey);
    await this.blobs.store.delete(upload.thumbnailKey);
    return current ? { status: 'deleted' } : { status: 'gone' };
  }
}
