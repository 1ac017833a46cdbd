import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { performance } from 'node:perf_hooks';
import { httpRequestDurations } from '../metrics/http-metrics.js';

/** Probes and scrapes arrive every few seconds from every pod; a line each would drown the log. */
const UNLOGGED_PATH = /^\/(health|metrics)(\/|\?|$)/;

function routeOf(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/**
 * One hook and one listener per request for everything observed about it: the X-Request-Id echoed on
 * the Node response (so streamed, hijacked replies carry it as well as sent ones), the duration
 * histogram, and one log line when it ends. Timed to the Node response's `close`, so SSE streams are
 * counted too, including those the client left (`aborted`).
 */
export function observeRequests(fastify: FastifyInstance, logger: Logger): void {
  const durations = httpRequestDurations();
  fastify.addHook('onRequest', (request, reply, done) => {
    const started = performance.now();
    const response = reply.raw;
    response.setHeader('X-Request-Id', request.id);
    response.once('close', () => {
      const elapsedMs = performance.now() - started;
      const statusCode = response.statusCode;
      durations.observe(
        { method: request.method, route: routeOf(request), status_code: String(statusCode) },
        elapsedMs / 1000,
      );
      const url = request.raw.url ?? '';
      if (UNLOGGED_PATH.test(url)) return;
      const aborted = !response.writableEnded;
      const line = {
        request_id: request.id,
        req: { method: request.method, url: url.split('?')[0] },
        res: { statusCode },
        responseTime: Math.round(elapsedMs * 10) / 10,
        ...(aborted ? { aborted } : {}),
      };
      if (statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, aborted ? 'request aborted' : 'request completed');
    });
    done();
  });
}
