import type { EnvVarSpec } from '#platform';

export const STORAGE_ENV: readonly EnvVarSpec[] = [
  {
    name: 'IMAGE_PROCESSING_CONCURRENCY',
    kind: 'int',
    default: '2',
    min: 1,
    max: 64,
    description: 'uploads the storage worker decodes at once (CPU-bound: about one per core)',
  },
  {
    name: 'IMAGE_PENDING_SWEEP_MS',
    kind: 'int',
    default: '5000',
    min: 100,
    description: 'how often the storage worker looks for uploaded objects nobody has queued for processing',
  },
  {
    name: 'IMAGE_UPLOAD_PENDING_LIMIT',
    kind: 'int',
    default: '20',
    min: 1,
    max: 10000,
    description:
      'upload URLs a user may hold unused at once (within their lifetime); more is a 429 with Retry-After',
  },
  {
    name: 'IMAGE_CLEANUP_INTERVAL_MS',
    kind: 'int',
    default: '600000',
    min: 1000,
    description: 'how often the storage worker deletes uploads never used within 24 h',
  },
];
