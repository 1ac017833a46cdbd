import type { HttpRequest } from './http-types.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * Origin the browser reached us on, for URLs we hand back (upload URLs, stand-in OAuth pages,
 * redirects): the configured PUBLIC_BASE_URL, else the forwarded host when behind a trusted proxy,
 * else the Host header.
 */
export function publicBaseUrl(request: Pick<HttpRequest, 'headers' | 'protocol'>, config: AppConfig): string {
  const configured = config.optionalString('PUBLIC_BASE_URL');
  if (configured) return configured.replace(/\/$/, '');
  if (config.bool('TRUST_PROXY')) {
    const host = String(request.headers['x-forwarded-host'] ?? '')
      .split(',')[0]
      ?.trim();
    const proto = String(request.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim();
    if (host) return `${proto || 'https'}://${host}`;
  }
  return `${request.protocol}://${request.headers.host ?? `localhost:${config.int('PORT')}`}`;
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
