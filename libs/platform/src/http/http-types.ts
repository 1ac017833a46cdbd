import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The request and reply every controller and platform piece is written against. The HTTP stack is
 * Fastify (see README, "Dependency choices"); naming it here keeps that choice in one place.
 */
export type HttpRequest = FastifyRequest;
export type HttpReply = FastifyReply;

/** The path without the query string (Fastify's `url` carries both). */
export function pathOf(request: HttpRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}
