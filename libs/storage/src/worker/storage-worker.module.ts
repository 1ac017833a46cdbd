import { Module } from '@nestjs/common';
import { DeleteImageObjects } from './delete-image-objects.js';
import { DeleteUnusedUploads } from './delete-unused-uploads.js';
import { QueuePendingUploads } from './queue-pending-uploads.js';
import { StorageDataModule } from '../storage-data.module.js';
import { StorageWorker } from './storage-worker.js';

/** The storage worker role: verifies, cleans and thumbnails uploaded images, and deletes them. */
@Module({
  imports: [StorageDataModule],
  providers: [DeleteImageObjects, DeleteUnusedUploads, QueuePendingUploads, StorageWorker],
})
export class StorageWorkerModule {}
