import type { EnvVarSpec } from '../../platform/src/index.js';

export const STORAGE_ENV: readonly EnvVarSpec[] = [];
