import fastifyCookie from '@fastify/cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { DomainError } from '../errors/domain-error.js';
import { LOCAL_BLOB_ROUTE } from '../blob/local-blob-store.js';
import { observeRequests } from './observe-requests.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** body-parser's `strict` rule, kept from the Express stack: a JSON body is an object or an array. */
const STRICT_JSON_START = /^[ \t\n\r]*[[{]/;
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
/**
 * No request body of the API nests deeper than a few levels; validation and class-transformer walk a
 * body recursively, so a small body nested thousands of levels deep would overflow the stack (a 500).
 */
export const MAX_JSON_DEPTH = 32;

export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-frontend-origin',
  'idempotency-key',
  'x-idempotency-key',
  'last-event-id',
  'x-request-id',
  'x-refresh-token',
];

export function isAllowedOrigin(origin: string, config: AppConfig): boolean {
  if (config.list('CORS_ORIGINS').includes(origin)) return true;
  return !config.isProduction && LOCAL_ORIGIN.test(origin);
}

/** `100kb`, `1mb`, `512` (bytes): the BODY_LIMIT notation. */
export function parseByteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!match) throw new Error(`not a byte size: ${value} (expected e.g. 100kb, 1mb)`);
  return Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]);
}

/** The caller's X-Request-Id when sane, else a new one; kept on the Node request for the log lines. */
function assignRequestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  (request as IncomingMessage & { id: string }).id = id;
  return id;
}

/** The Fastify adapter with the options that must exist before the first route: proxies, ids, limits. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.bool('TRUST_PROXY'),
    bodyLimit: parseByteSize(config.string('BODY_LIMIT')),
    genReqId: assignRequestId,
    requestIdHeader: false,
    // No Nest middleware and no app.use(): without this, @fastify/middie's hook would still run on every
    // request (~4 % of the CPU of GET /users/me, issue 14). Middleware added later fails at boot, loudly.
    skipMiddie: true,
    // Express matched `/path/` as `/path`; clients relying on that keep working.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
}

function hasBody(request: IncomingMessage): boolean {
  return (
    Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined
  );
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

const malformedJson = (): DomainError => new DomainError(400, 'VALIDATION_ERROR', 'Malformed JSON body');

/** Nesting depth of a parsed JSON value (a scalar is 0), walked without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The HTTP conventions of API.md, applied before any route: request ids echoed, metrics and request
 * logs, CORS allow-list with credentials, cookies, JSON-only bodies (415 otherwise; the local blob
 * upload route takes raw bytes), a body size limit (413), and malformed or too deeply nested JSON (400)
 * answered with the error envelope.
 */
export async function configureHttp(
  app: NestFastifyApplication,
  config: AppConfig,
  logger: Logger,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  observeRequests(fastify, logger);
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) =>
      callback(null, origin !== undefined && isAllowedOrigin(origin, config)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
    strictPreflight: false,
  });
  await app.register(fastifyCookie);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw;
    if (
      !BODY_METHODS.has(request.method) ||
      !hasBody(raw) ||
      (raw.url ?? '').startsWith(`${LOCAL_BLOB_ROUTE}/`) ||
      isJson(request.headers['content-type'])
    )
      return done();
    done(new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json'));
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (!STRICT_JSON_START.test(text)) return done(malformedJson(), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(malformedJson(), undefined);
    }
    if (jsonDepth(parsed) > MAX_JSON_DEPTH)
      return done(
        new DomainError(400, 'VALIDATION_ERROR', `JSON body nested deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
    done(null, parsed);
  });
  // Anything else reaching a route is the local blob upload (the hook above refused the rest): its
  // controller reads the raw bytes itself, with its own limit.
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
}
