import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type ErrorDetail } from './domain-error.js';

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

/** Body-parser and similar middleware errors carry `status`/`type` instead of being HttpExceptions. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

export function describeError(error: unknown): {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
} {
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
    const message =
      httpish?.type === 'entity.parse.failed'
        ? 'Malformed JSON body'
        : httpish?.type === 'entity.too.large'
          ? 'Request body too large'
          : (httpish?.message ?? 'Bad request');
    return { status, code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' };
}

export function requestIdOf(request: Request): string {
  return String((request as Request & { id?: unknown }).id ?? request.headers['x-request-id'] ?? '');
}

export function sendErrorEnvelope(
  request: Request,
  response: Response,
  error: unknown,
  logger: Logger,
): void {
  const described = describeError(error);
  if (described.status >= 500 && described.code === 'INTERNAL_ERROR') {
    logger.error({ err: error, path: request.path }, 'unhandled error');
  }
  if (response.headersSent) {
    response.end();
    return;
  }
  const body: ErrorEnvelope = {
    code: described.code,
    message: described.message,
    request_id: requestIdOf(request),
  };
  if (described.details) body.details = described.details;
  for (const [name, value] of Object.entries(described.headers ?? {})) response.setHeader(name, value);
  response.status(described.status).json(body);
}

@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorEnvelope');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendErrorEnvelope(http.getRequest<Request>(), http.getResponse<Response>(), exception, this.logger);
  }
}
