import { Module } from '@nestjs/common';

/** The storage worker role: verifies, cleans and thumbnails uploaded images. */
@Module({})
export class StorageWorkerModule {}
