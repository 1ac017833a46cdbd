export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * The one way to fail a request: throw a DomainError (or a subclass); the envelope filter maps it to
 * `{code, message, details?, request_id}` with its status.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export class ValidationFailed extends DomainError {
  constructor(details: ErrorDetail[], message = 'Request validation failed') {
    super(400, 'VALIDATION_ERROR', message, details);
  }
}

export class Unauthorized extends DomainError {
  constructor(
    code: 'UNAUTHORIZED' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED' = 'UNAUTHORIZED',
    message = 'Authentication required',
  ) {
    super(401, code, message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'Forbidden') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFound extends DomainError {
  constructor(message = 'Not found') {
    super(404, 'NOT_FOUND', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super(409, 'CONFLICT', message);
  }
}

export class RateLimited extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', 'Too many requests', undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class DependencyUnavailable extends DomainError {
  constructor(dependency: string, retryAfterSeconds = 5) {
    super(503, 'DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable`, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
