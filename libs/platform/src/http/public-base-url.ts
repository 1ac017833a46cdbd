import type { HttpRequest } from './http-types.js';
import type { AppConfig } from '../config/app-config.js';
import { ValidationFailed } from '../errors/domain-error.js';

const firstOf = (header: string | string[] | undefined): string =>
  (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim() ?? '';

/**
 * Origin the browser reached us on, for URLs we hand back (upload and CDN URLs, stand-in OAuth pages,
 * redirects): the configured PUBLIC_BASE_URL, else, with TRUST_PROXY, the trusted proxy's
 * X-Forwarded-Proto/Host, else http://localhost:<PORT>. Never the raw Host header: any client sets
 * that, and it would put URLs of its choosing into our answers.
 */
export function publicBaseUrl(request: Pick<HttpRequest, 'headers'>, config: AppConfig): string {
  const forwardedHost = config.bool('TRUST_PROXY') ? firstOf(request.headers['x-forwarded-host']) : '';
  if (forwardedHost && !config.optionalString('PUBLIC_BASE_URL')) {
    const proto = firstOf(request.headers['x-forwarded-proto']) === 'http' ? 'http' : 'https';
    return `${proto}://${validHost(forwardedHost)}`;
  }
  return configuredPublicBaseUrl(config);
}

/** A bare `host[:port]`: anything else (a path, credentials, junk) would bend the URLs we build. */
function validHost(host: string): string {
  const parsed = URL.canParse(`http://${host}`) ? new URL(`http://${host}`) : undefined;
  if (!parsed || parsed.hostname === '' || /[/?#@\\]/.test(host)) {
    throw new ValidationFailed([
      { field: 'X-Forwarded-Host', message: 'must be a host name with an optional port' },
    ]);
  }
  return parsed.host;
}

/**
 * Origin for URLs made outside any request (a worker storing a picture it made): the configured
 * PUBLIC_BASE_URL, else this deployment's own port on localhost (the embedded default's one process).
 */
export function configuredPublicBaseUrl(config: AppConfig): string {
  return (config.optionalString('PUBLIC_BASE_URL') ?? `http://localhost:${config.int('PORT')}`).replace(
    /\/$/,
    '',
  );
}
