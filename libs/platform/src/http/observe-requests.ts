import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { gatherPerTurn } from '../event-loop/gather-per-turn.js';
import { httpRequestDurations } from '../metrics/http-metrics.js';

/** Probes and scrapes arrive every few seconds from every pod; a line each would drown the log. */
const UNLOGGED_PATH = /^\/(health|metrics)(\/|\?|$)/;

function routeOf(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/** What is kept of a request when it ends, until it is counted and logged. */
interface EndedRequest {
  id: string;
  method: string;
  route: string;
  url: string;
  statusCode: number;
  elapsedMs: number;
  aborted: boolean;
}

/**
 * Everything observed about a request, once, when it ends: the X-Request-Id echoed on the Node
 * response (so streamed, hijacked replies carry it as well as sent ones), the duration histogram, and
 * one log line.
 *
 * A request ends in one of two ways. Its response finishes (sent, or a hijacked stream the server
 * ended): Fastify's `onResponse`, timed by Fastify. Or the client leaves first (an SSE stream it
 * closed, a request it gave up on): its connection closes with the reply unfinished, and the reply is
 * counted and logged as aborted then. The second is watched once per connection, not per request.
 *
 * Requests that end in one turn of the event loop are counted and logged together right after it
 * (`gatherPerTurn`), once every response of the turn has been written. Done one by one, between
 * responses, the same work cost 4-14 % more CPU per request of GET /users/me and the catalog than done
 * together (paired runs, issue 14), although a line and an observation take ~1.4 µs in a loop.
 */
export function observeRequests(fastify: FastifyInstance, logger: Logger): void {
  const durations = httpRequestDurations();
  /** The replies in flight on each connection (more than one only when a client pipelines). */
  const unfinished = new WeakMap<Socket, Set<FastifyReply>>();

  const record = (request: EndedRequest): void => {
    const { statusCode, elapsedMs, aborted } = request;
    durations.observe(
      { method: request.method, route: request.route, status_code: String(statusCode) },
      elapsedMs / 1000,
    );
    if (UNLOGGED_PATH.test(request.url)) return;
    const line = {
      request_id: request.id,
      req: { method: request.method, url: request.url.split('?')[0] },
      res: { statusCode },
      responseTime: Math.round(elapsedMs * 10) / 10,
      ...(aborted ? { aborted } : {}),
    };
    if (statusCode >= 500) logger.error(line, 'request errored');
    else logger.info(line, aborted ? 'request aborted' : 'request completed');
  };

  const recordAfterTurn = gatherPerTurn<EndedRequest>((turn) => turn.forEach(record));

  const end = (request: FastifyRequest, reply: FastifyReply, aborted: boolean): void =>
    recordAfterTurn({
      id: request.id,
      method: request.method,
      route: routeOf(request),
      url: request.raw.url ?? '',
      statusCode: reply.raw.statusCode,
      elapsedMs: reply.elapsedTime,
      aborted,
    });

  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader('X-Request-Id', request.id);
    const socket = request.raw.socket;
    let replies = unfinished.get(socket);
    if (!replies) {
      const inFlight = new Set<FastifyReply>();
      unfinished.set(socket, (replies = inFlight));
      socket.once('close', () => {
        for (const left of inFlight) end(left.request, left, true);
        inFlight.clear();
      });
    }
    replies.add(reply);
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    // Not in flight: observed already as aborted, or it never reached onRequest (nothing to observe).
    if (unfinished.get(request.raw.socket)?.delete(reply)) end(request, reply, false);
    done();
  });
}
