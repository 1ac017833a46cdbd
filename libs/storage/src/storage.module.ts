import { Module } from '@nestjs/common';

/** Image upload routes (`/api/v1/images`), served by the scan pod. */
@Module({})
export class StorageModule {}
