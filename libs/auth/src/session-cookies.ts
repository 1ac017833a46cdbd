import type { CookieOptions, Request, Response } from 'express';
import { ACCESS_COOKIE, REFRESH_COOKIE, bearerToken, type AppConfig } from '../../platform/src/index.js';
import type { SignedTokenPair } from './token-signer.js';

function cookieOptions(config: AppConfig): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.bool('COOKIE_SECURE'),
    domain: config.optionalString('COOKIE_DOMAIN'),
  };
}

/** The app carries its session only in these HttpOnly cookies; Max-Age is each token's lifetime. */
export function setSessionCookies(response: Response, tokens: SignedTokenPair, config: AppConfig): void {
  const options = cookieOptions(config);
  response.cookie(ACCESS_COOKIE, tokens.access.token, {
    ...options,
    maxAge: tokens.access.lifetimeSeconds * 1000,
  });
  response.cookie(REFRESH_COOKIE, tokens.refresh.token, {
    ...options,
    maxAge: tokens.refresh.lifetimeSeconds * 1000,
  });
}

/** Same path and domain as when set, or the browser keeps them. */
export function clearSessionCookies(response: Response, config: AppConfig): void {
  const options = cookieOptions(config);
  response.clearCookie(ACCESS_COOKIE, options);
  response.clearCookie(REFRESH_COOKIE, options);
}

const cookie = (request: Request, name: string): string | undefined =>
  ((request.cookies ?? {}) as Record<string, string | undefined>)[name] || undefined;

export function presentedAccessToken(request: Request): string | undefined {
  return bearerToken(request.headers.authorization) ?? cookie(request, ACCESS_COOKIE);
}

/** Native clients send `X-Refresh-Token: Bearer …` or a body field; the app sends the cookie. */
export function presentedRefreshToken(
  request: Request,
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
