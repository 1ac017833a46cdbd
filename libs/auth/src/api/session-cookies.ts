import type { CookieSerializeOptions } from '@fastify/cookie';
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  bearerToken,
  type AppConfig,
  type HttpReply,
  type HttpRequest,
} from '#platform';
import type { SignedTokenPair } from './token-signer.js';

function cookieOptions(config: AppConfig): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.bool('COOKIE_SECURE'),
    domain: config.optionalString('COOKIE_DOMAIN'),
  };
}

/**
 * The app carries its session only in these HttpOnly cookies; Max-Age is each token's lifetime, with
 * the matching Expires for clients that only read that.
 */
export function setSessionCookies(response: HttpReply, tokens: SignedTokenPair, config: AppConfig): void {
  const options = cookieOptions(config);
  for (const [name, token] of [
    [ACCESS_COOKIE, tokens.access],
    [REFRESH_COOKIE, tokens.refresh],
  ] as const) {
    void response.setCookie(name, token.token, {
      ...options,
      maxAge: token.lifetimeSeconds,
      expires: new Date(Date.now() + token.lifetimeSeconds * 1000),
    });
  }
}

/** Same path and domain as when set, or the browser keeps them. */
export function clearSessionCookies(response: HttpReply, config: AppConfig): void {
  const options = cookieOptions(config);
  void response.clearCookie(ACCESS_COOKIE, options);
  void response.clearCookie(REFRESH_COOKIE, options);
}

const cookie = (request: HttpRequest, name: string): string | undefined =>
  ((request.cookies ?? {}) as Record<string, string | undefined>)[name] || undefined;

export function presentedAccessToken(request: HttpRequest): string | undefined {
  return bearerToken(request.headers.authorization) ?? cookie(request, ACCESS_COOKIE);
}

/** Native clients send `X-Refresh-Token: Bearer …` or a body field; the app sends the cookie. */
export function presentedRefreshToken(
  request: HttpRequest,
  bodyToken: string | undefined,
): { token: string | undefined; fromCookie: boolean } {
  const header = request.headers['x-refresh-token'];
  const fromHeader =
    typeof header === 'string' ? (bearerToken(header) ?? (header.trim() || undefined)) : undefined;
  const explicit = fromHeader ?? bodyToken;
  if (explicit) return { token: explicit, fromCookie: false };
  const fromCookie = cookie(request, REFRESH_COOKIE);
  return { token: fromCookie, fromCookie: fromCookie !== undefined };
}
