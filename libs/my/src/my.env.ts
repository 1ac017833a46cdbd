import type { EnvVarSpec } from '#platform';

export const MY_ENV: readonly EnvVarSpec[] = [];
