import type { EnvVarSpec } from '../../platform/src/index.js';

export const INFO_ENV: readonly EnvVarSpec[] = [];
