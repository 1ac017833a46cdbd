import { Inject, Injectable, Optional } from '@nestjs/common';
import { BLOB_STORE, type BlobStore } from '#platform';

/**
 * The blob store when this pod booted one. The my pod imports StorageDataModule only to queue image
 * deletions on account deletion, which needs the database and the queue but no blob storage.
 */
@Injectable()
export class StorageBlobs {
  constructor(@Optional() @Inject(BLOB_STORE) private readonly booted?: BlobStore) {}

  get store(): BlobStore {
    if (!this.booted)
      throw new Error('this pod has no blob storage: add "blob" to its needs in apps/catalog.ts');
    return this.booted;
  }
}
