import type { EnvVarSpec } from '../../platform/src/index.js';

export const CHAT_ENV: readonly EnvVarSpec[] = [];
