export { ScanHistoryModule } from './my-pod/scan-history.module.js';
export { ScanDataModule } from './scan-data.module.js';
export { ListScanHistory } from './my-pod/list-scan-history.js';
