import type { EnvVarSpec } from '../../platform/src/index.js';

export const SCAN_ENV: readonly EnvVarSpec[] = [];
