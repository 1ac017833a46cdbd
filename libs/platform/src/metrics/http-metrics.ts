import type { FastifyInstance } from 'fastify';
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
 * Times every request. The route label is the matched template (`/api/v1/character/catalog/:code`),
 * never the raw path, so label cardinality stays bounded; unmatched requests share one label. Timed to
 * the Node response's `finish`, so streamed (hijacked) responses such as SSE are counted too.
 */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  const durations = histogram();
  fastify.addHook('onRequest', (request, reply, done) => {
    const stop = durations.startTimer();
    reply.raw.once('finish', () => {
      const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
      stop({ method: request.method, route, status_code: String(reply.raw.statusCode) });
    });
    done();
  });
}
