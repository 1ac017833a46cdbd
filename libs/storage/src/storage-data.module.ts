import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImageProcessingQueue } from './worker/image-processing-queue.js';
import { ImageUpload } from './image-upload.entity.js';
import { ImageUploadRepository } from './image-upload.repository.js';
import { ImageUploads } from './image-uploads.js';
import { LoadVerifiedImage } from './load-verified-image.js';
import { ProcessUpload } from './worker/process-upload.js';
import { QueueUserImageDeletion } from './queue-user-image-deletion.js';
import { ResolveOwnedUpload } from './resolve-owned-upload.js';
import { StorageBlobs } from './storage-blobs.js';
import { StoreGeneratedImage } from './store-generated-image.js';

/**
 * The image services without routes, for other domains (`ImageUploads`). The rest of the exports are
 * for the storage lib's own HTTP and worker modules; other libs only see what index.ts exports.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ImageUpload])],
  providers: [
    ImageUploadRepository,
    StorageBlobs,
    ImageProcessingQueue,
    ProcessUpload,
    ResolveOwnedUpload,
    LoadVerifiedImage,
    QueueUserImageDeletion,
    StoreGeneratedImage,
    ImageUploads,
  ],
  exports: [ImageUploads, ImageUploadRepository, StorageBlobs, ImageProcessingQueue, ProcessUpload],
})
export class StorageDataModule {}
