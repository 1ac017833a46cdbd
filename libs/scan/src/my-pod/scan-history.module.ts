import { Module } from '@nestjs/common';
import { ScanDataModule } from '../scan-data.module.js';
import { ScanHistoryController } from './scan-history.controller.js';

/** `GET /api/v1/users/me/scans`, served by the my pod (imported by MyModule). */
@Module({
  imports: [ScanDataModule],
  controllers: [ScanHistoryController],
})
export class ScanHistoryModule {}
