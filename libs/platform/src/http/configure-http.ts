import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import { DomainError } from '../errors/domain-error.js';
import { sendErrorEnvelope } from '../errors/error-envelope.filter.js';
import { LOCAL_BLOB_ROUTE } from '../blob/local-blob-store.js';
import { httpMetricsMiddleware } from '../metrics/http-metrics.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

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

/** Accept the caller's X-Request-Id (when sane) or mint one; echo it on the response. */
function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  (request as Request & { id: string }).id = id;
  response.setHeader('X-Request-Id', id);
  next();
}

function hasBody(request: Request): boolean {
  return (
    Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined
  );
}

/**
 * The HTTP conventions of API.md, applied before any route: request ids, metrics, CORS allow-list with
 * credentials, JSON-only bodies (415 otherwise; the local blob upload route takes raw bytes), a body
 * size limit (413) and malformed JSON (400) answered with the error envelope.
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const expressApp = app as NestExpressApplication;
  const logger = new Logger('Http');
  expressApp.set('trust proxy', config.bool('TRUST_PROXY'));
  expressApp.disable('x-powered-by');
  expressApp.use(assignRequestId);
  expressApp.use(httpMetricsMiddleware());
  expressApp.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && isAllowedOrigin(origin, config)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  expressApp.use(cookieParser());
  const json = express.json({ limit: config.string('BODY_LIMIT'), strict: true });
  expressApp.use((request: Request, response: Response, next: NextFunction) => {
    if (
      !BODY_METHODS.has(request.method) ||
      !hasBody(request) ||
      request.path.startsWith(`${LOCAL_BLOB_ROUTE}/`)
    )
      return next();
    if (!request.is('application/json')) {
      return sendErrorEnvelope(
        request,
        response,
        new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json'),
        logger,
      );
    }
    json(request, response, (error?: unknown) =>
      error ? sendErrorEnvelope(request, response, error, logger) : next(),
    );
  });
}
