import type { EnvVarSpec } from '../../platform/src/index.js';

export const MY_ENV: readonly EnvVarSpec[] = [];
