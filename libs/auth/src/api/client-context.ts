import type { HttpRequest } from '#platform';
import type { ClientContext } from './sign-in-user.js';

export function clientContextOf(request: HttpRequest): ClientContext {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

/** The app origin the caller names: query first, then X-Frontend-Origin, then the browser's Origin. */
export function frontendOriginCandidate(
  request: HttpRequest,
  fromQuery: string | undefined,
): string | undefined {
  const header = request.headers['x-frontend-origin'];
  const origin = request.headers.origin;
  return fromQuery ?? (typeof header === 'string' ? header : undefined) ?? origin;
}
