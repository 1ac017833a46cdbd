import { fastifyCookie } from '@fastify/cookie';
import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'ws';
import type { AppConfig } from '../config/app-config.js';
import { describeError, type ErrorEnvelope } from '../errors/error-envelope.filter.js';
import { Forbidden, Unauthorized } from '../errors/domain-error.js';
import { isAllowedOrigin } from '../http/configure-http.js';
import { publicBaseUrl } from '../http/public-base-url.js';
import { AccessTokenVerifier, type AuthenticatedUser } from '../security/access-token-verifier.js';
import { accessTokenOf, bearerToken } from '../security/access-token.guard.js';
import { UNREADABLE_FRAME } from './socket-session.js';

/**
 * An upgrade request the adapter admitted: the caller, as the HTTP guard would have set it, and the
 * public origin it reached us on (`publicBaseUrl`), which the use cases of HTTP routes also take.
 */
export type AuthenticatedUpgrade = IncomingMessage & { user: AuthenticatedUser; baseUrl: string };

/**
 * Frames are JSON objects named by their `type` (`{type: "message", ...}`): the whole object is the
 * handler's payload. Anything else goes to the `UNREADABLE_FRAME` handler, so the client hears why.
 */
function typedFrame(data: unknown): { event: string; data: unknown } {
  try {
    const parsed: unknown = JSON.parse(String(data));
    if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string') {
      return { event: (parsed as { type: string }).type, data: parsed };
    }
  } catch {
    // answered below like any other unreadable frame
  }
  return { event: UNREADABLE_FRAME, data: null };
}

/**
 * The WebSocket adapter of every pod that serves sockets (`ws` through @nestjs/platform-ws, on the
 * Fastify HTTP server; loaded only where a feature needs `websocket`):
 * an upgrade is admitted only with the access token the HTTP guard accepts (bearer header or
 * `s_access` cookie), else it is refused before the upgrade with the HTTP status and error envelope
 * the route would have answered. A cookie-authenticated upgrade must also come from an allowed
 * Origin: browsers attach cookies to cross-site WebSocket handshakes, and CORS does not apply to them.
 */
export class AuthenticatedWsAdapter extends WsAdapter {
  constructor(
    private readonly app: INestApplication,
    private readonly config: AppConfig,
  ) {
    super(app, { messageParser: typedFrame });
  }

  override create(port: number, options?: Record<string, unknown> & { path?: string }): unknown {
    const verifyClient: ServerOptions['verifyClient'] = ({ req }, done) => {
      this.admit(req)
        // In the chain, so a refused forwarded host is answered like any other refusal.
        .then((user) => ({ user, baseUrl: publicBaseUrl(req, this.config) }))
        .then(
          ({ user, baseUrl }) => {
            Object.assign(req, { user, baseUrl } satisfies Omit<AuthenticatedUpgrade, keyof IncomingMessage>);
            done(true);
          },
          (error: unknown) => {
            const described = describeError(error);
            const envelope: ErrorEnvelope = {
              code: described.code,
              message: described.message,
              request_id: String(req.headers['x-request-id'] ?? randomUUID()),
            };
            done(false, described.status, JSON.stringify(envelope), {
              'Content-Type': 'application/json',
            });
          },
        );
    };
    return super.create(port, { ...options, verifyClient });
  }

  private async admit(request: IncomingMessage): Promise<AuthenticatedUser> {
    const authorization = request.headers.authorization;
    const cookies = fastifyCookie.parse(request.headers.cookie ?? '');
    const token = accessTokenOf(authorization, cookies);
    if (!token) throw new Unauthorized();
    const origin = request.headers.origin;
    if (!bearerToken(authorization) && origin && !isAllowedOrigin(origin, this.config)) {
      throw new Forbidden('Origin not allowed');
    }
    return this.app.get(AccessTokenVerifier).verifyAccessToken(token);
  }
}
