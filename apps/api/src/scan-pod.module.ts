import { Module } from '@nestjs/common';
import { ScanModule } from '../../../libs/scan/src/api/scan.module.js';
import { StorageModule } from '../../../libs/storage/src/api/storage.module.js';

/** The scan deployment serves both `/api/v1/scan` and the image upload routes `/api/v1/images`. */
@Module({ imports: [ScanModule, StorageModule] })
export class ScanPodModule {}
