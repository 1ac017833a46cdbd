import { Module } from '@nestjs/common';
import { CreateUploadUrl } from './create-upload-url.js';
import { ImagesController } from './images.controller.js';
import { StorageDataModule } from '../storage-data.module.js';

/** Image upload routes (`/api/v1/images`), served by the scan pod. */
@Module({
  imports: [StorageDataModule],
  controllers: [ImagesController],
  providers: [CreateUploadUrl],
})
export class StorageModule {}
