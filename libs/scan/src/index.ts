export { ScanHistoryModule } from './scan-history.module.js';
