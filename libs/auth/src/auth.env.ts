import type { EnvVarSpec } from '../../platform/src/index.js';

export const AUTH_ENV: readonly EnvVarSpec[] = [];
