import { Injectable } from '@nestjs/common';
import { Clock, PeriodicRunner } from '#platform';
import { ImageUploadRepository } from '../image-upload.repository.js';
import { StorageBlobs } from '../storage-blobs.js';

/** Uploads no scan or chat message referred to within this long are deleted. */
export const UNUSED_UPLOAD_RETENTION_MS = 24 * 3600_000;
const CLEANUP_BATCH = 200;

/**
 * The 24 h cleanup: abandoned uploads (presigned and never used) take no storage for long. A periodic
 * task of the storage worker, first one interval after boot.
 */
@Injectable()
export class DeleteUnusedUploads {
  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly clock: Clock,
    runner: PeriodicRunner,
  ) {
    runner.schedule({
      name: 'storage-delete-unused-uploads',
      everyMs: 'IMAGE_CLEANUP_INTERVAL_MS',
      firstRunAfterMs: 'one interval',
      run: async () => void (await this.run()),
    });
  }

  /** Returns how many uploads were deleted. */
  async run(): Promise<number> {
    const now = this.clock.now();
    const stale = await this.uploads.findUnusedCreatedBefore(
      new Date(now.getTime() - UNUSED_UPLOAD_RETENTION_MS),
      CLEANUP_BATCH,
    );
    let deleted = 0;
    for (const upload of stale) {
      // Claim it first: an upload marked used at this very moment keeps its objects.
      if (!(await this.uploads.markDeletedIfUnused(upload.id, now))) continue;
      for (const key of [upload.stagingKey, upload.publicKey, upload.thumbnailKey]) {
        await this.blobs.store.delete(key);
      }
      deleted++;
    }
    return deleted;
  }
}
