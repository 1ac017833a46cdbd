import type { EnvVarSpec } from '../../platform/src/index.js';

export const LOCATION_ENV: readonly EnvVarSpec[] = [];
