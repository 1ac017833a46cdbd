import { CreateScanTables1732000005000 } from './1732000005000-create-scan-tables.js';

export const scanMigrations: (new () => unknown)[] = [CreateScanTables1732000005000];
