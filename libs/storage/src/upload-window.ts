import type { AppConfig } from '#platform';

/**
 * How long after its upload URL was issued an object may still appear: the URL's lifetime plus slack
 * for a PUT still in flight. Past it, an upload that is still pending was never used.
 */
export function uploadWindowMs(config: AppConfig): number {
  return (config.int('UPLOAD_URL_TTL_SECONDS') + 60) * 1000;
}
