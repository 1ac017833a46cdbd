import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { pathOf, type HttpReply, type HttpRequest } from '../http/http-types.js';
import { isDatabaseOutage } from '../database/database-outage.js';
import { DependencyUnavailable, DomainError, type ErrorDetail } from './domain-error.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'DEPENDENCY_UNAVAILABLE',
};

export interface ErrorEnvelope {
  code: string;
  message: string;
  details?: ErrorDetail[];
  request_id: string;
}

/** Errors from outside Nest's exception classes that still carry an HTTP status. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  message?: string;
}

export function describeError(error: unknown): {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
} {
  // The database down is no bug of ours: the client may retry, and readiness says the same.
  if (isDatabaseOutage(error)) return describeError(new DependencyUnavailable('database'));
  if (error instanceof DomainError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message =
      typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    return {
      status,
      code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
      message: Array.isArray(message) ? message.join('; ') : String(message),
    };
  }
  const httpish = error as HttpishError | undefined;
  const status = httpish?.status ?? httpish?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST',
      message: httpish?.message ?? 'Bad request',
    };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' };
}

export function requestIdOf(request: HttpRequest): string {
  return String(request.id ?? request.headers['x-request-id'] ?? '');
}

export function sendErrorEnvelope(
  request: HttpRequest,
  reply: HttpReply,
  error: unknown,
  logger: Logger,
): void {
  const described = describeError(error);
  if (described.status >= 500 && described.code === 'INTERNAL_ERROR') {
    logger.error({ err: error, path: pathOf(request), request_id: requestIdOf(request) }, 'unhandled error');
  }
  if (reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const body: ErrorEnvelope = {
    code: described.code,
    message: described.message,
    request_id: requestIdOf(request),
  };
  if (described.details) body.details = described.details;
  for (const [name, value] of Object.entries(described.headers ?? {})) reply.header(name, value);
  void reply.code(described.status).send(body);
}

@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorEnvelope');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendErrorEnvelope(http.getRequest<HttpRequest>(), http.getResponse<HttpReply>(), exception, this.logger);
  }
}
