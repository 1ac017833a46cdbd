import { Histogram, register } from 'prom-client';

export type HttpDurationLabels = 'method' | 'route' | 'status_code';

/**
 * Request durations by route template and status. The route label is the matched template
 * (`/api/v1/character/catalog/:code`), never the raw path, so label cardinality stays bounded;
 * unmatched requests share one label.
 */
export function httpRequestDurations(): Histogram<HttpDurationLabels> {
  const existing = register.getSingleMetric('http_request_duration_seconds');
  if (existing) return existing as Histogram<HttpDurationLabels>;
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
}
