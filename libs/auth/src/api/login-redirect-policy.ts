import { Inject, Injectable } from '@nestjs/common';
import { isAllowedOrigin } from '#platform';
import { AppConfig, ValidationFailed } from '#platform';
import type { OAuthProviderName } from './oauth-providers.js';

export const callbackPath = (provider: OAuthProviderName): string => `/api/v1/auth/${provider}/callback`;

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Where a login may send the browser: the app origin (success and failure pages) and the OAuth
 * redirect URI both come from allow-lists, because the reference accepted any origin (an open
 * redirect carrying a fresh session).
 */
@Injectable()
export class LoginRedirectPolicy {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  isAllowedFrontendOrigin(origin: string): boolean {
    const configured = this.config.list('OAUTH_FRONTEND_ORIGINS');
    return configured.length > 0 ? configured.includes(origin) : isAllowedOrigin(origin, this.config);
  }

  /** The app origin to return to, from the query or X-Frontend-Origin; refused unless allowed. */
  frontendOrigin(candidate: string | undefined): string {
    const origin = candidate ? originOf(candidate) : this.defaultFrontendOrigin();
    if (!origin || !this.isAllowedFrontendOrigin(origin)) {
      throw new ValidationFailed([{ field: 'frontend_origin', message: 'origin is not allowed' }]);
    }
    return origin;
  }

  /** The app origin for a failure whose state is unknown: configured, else the first allowed origin. */
  defaultFrontendOrigin(): string | null {
    const configured = this.config.optionalString('OAUTH_DEFAULT_FRONTEND_ORIGIN');
    const first = [...this.config.list('OAUTH_FRONTEND_ORIGINS'), ...this.config.list('CORS_ORIGINS')][0];
    return originOf(configured ?? first ?? '');
  }

  /**
   * The redirect URI sent to the provider (and stored with the state, since the token exchange must
   * repeat it): the request's value resolved against the public base URL, else our callback there.
   */
  redirectUri(provider: OAuthProviderName, candidate: string | undefined, publicBaseUrl: string): string {
    let uri: URL;
    try {
      uri = new URL(candidate ?? callbackPath(provider), `${publicBaseUrl}/`);
    } catch {
      throw new ValidationFailed([{ field: 'redirect_uri', message: 'not a URL' }]);
    }
    if (!this.isAllowedRedirectUri(provider, uri, publicBaseUrl)) {
      throw new ValidationFailed([{ field: 'redirect_uri', message: 'redirect URI is not allowed' }]);
    }
    return uri.toString();
  }

  successUrl(origin: string): string {
    return `${origin}/#/home`;
  }

  failureUrl(origin: string): string {
    return `${origin}/#/login?error=oauth_failed`;
  }

  private isAllowedRedirectUri(provider: OAuthProviderName, uri: URL, publicBaseUrl: string): boolean {
    const configured = this.config.list('OAUTH_REDIRECT_URIS');
    if (configured.length > 0) return configured.includes(uri.toString());
    const ownOrigin = originOf(publicBaseUrl);
    return (
      uri.pathname === callbackPath(provider) &&
      uri.search === '' &&
      uri.hash === '' &&
      (uri.origin === ownOrigin || this.isAllowedFrontendOrigin(uri.origin))
    );
  }
}
