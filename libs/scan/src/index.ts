export { ScanHistoryModule } from './scan-history.module.js';
export { ScanDataModule } from './scan-data.module.js';
export { ListScanHistory } from './list-scan-history.js';
