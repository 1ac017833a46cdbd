import type { NextFunction, Request, Response } from 'express';
import { Histogram, register } from 'prom-client';

function histogram(): Histogram<'method' | 'route' | 'status_code'> {
  const existing = register.getSingleMetric('http_request_duration_seconds');
  if (existing) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
}

/**
 * Times every request. The route label is Express's matched template (`/api/v1/character/catalog/:code`),
 * never the raw path, so label cardinality stays bounded; unmatched requests share one label.
 */
export function httpMetricsMiddleware(): (request: Request, response: Response, next: NextFunction) => void {
  const durations = histogram();
  return (request, response, next) => {
    const stop = durations.startTimer();
    response.on('finish', () => {
      const template = request.route?.path;
      const route = template ? `${request.baseUrl}${String(template)}` : 'unmatched';
      stop({ method: request.method, route, status_code: String(response.statusCode) });
    });
    next();
  };
}
