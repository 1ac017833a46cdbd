import { DomainError } from '#platform';

/**
 * A login that cannot complete. The browser callback turns it into the app's failure redirect, to the
 * origin stored with the state when the state was found; the JSON route answers it with its status:
 * 401 when the state or code was refused, 503 when the provider or a store could not be reached.
 */
export class OAuthLoginFailed extends DomainError {
  private constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> | undefined,
    readonly frontendOrigin: string | undefined,
  ) {
    super(status, code, message, undefined, headers);
  }

  static refused(reason: string): OAuthLoginFailed {
    return new OAuthLoginFailed(401, 'UNAUTHORIZED', `OAuth login failed: ${reason}`, undefined, undefined);
  }

  static unreachable(reason: string): OAuthLoginFailed {
    return new OAuthLoginFailed(
      503,
      'DEPENDENCY_UNAVAILABLE',
      `OAuth login failed: ${reason}`,
      { 'Retry-After': '5' },
      undefined,
    );
  }

  /** Any failure after the state was consumed, remembering where the browser must be sent back. */
  static returningTo(frontendOrigin: string, error: unknown): OAuthLoginFailed {
    if (error instanceof DomainError) {
      return new OAuthLoginFailed(error.status, error.code, error.message, error.headers, frontendOrigin);
    }
    const failed = OAuthLoginFailed.unreachable('login could not be stored');
    return new OAuthLoginFailed(failed.status, failed.code, failed.message, failed.headers, frontendOrigin);
  }
}
