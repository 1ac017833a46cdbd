import { Injectable, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Unauthorized } from '../errors/domain-error.js';
import type { HttpRequest } from '../http/http-types.js';
import { AccessTokenVerifier, type AuthenticatedUser } from './access-token-verifier.js';
import { IS_PUBLIC } from './public.decorator.js';

export const ACCESS_COOKIE = 's_access';
export const REFRESH_COOKIE = 's_refresh';

export type AuthenticatedRequest = HttpRequest & { user?: AuthenticatedUser };

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** The access token a request carries: the bearer header first, else the `s_access` cookie. */
export function accessTokenOf(
  authorization: string | undefined,
  cookies: Record<string, string | undefined>,
): string | undefined {
  return bearerToken(authorization) ?? cookies[ACCESS_COOKIE];
}

type Handler = ReturnType<ExecutionContext['getHandler']>;

/** The one global guard, in every pod: a valid access token unless the route is @Public(). */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  /** @Public() by controller class and handler: metadata is fixed at boot, and reading it was ~1.5 % of users/me's CPU (perf). */
  private readonly publicRoutes = new WeakMap<Type, WeakMap<Handler, boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.isPublic(context.getClass(), context.getHandler())) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const cookies = (request.cookies ?? {}) as Record<string, string | undefined>;
    const token = accessTokenOf(request.headers.authorization, cookies);
    if (!token) throw new Unauthorized();
    request.user = await this.verifier.verifyAccessToken(token);
    return true;
  }

  private isPublic(controller: Type, handler: Handler): boolean {
    let handlers = this.publicRoutes.get(controller);
    if (!handlers) this.publicRoutes.set(controller, (handlers = new WeakMap()));
    let isPublic = handlers.get(handler);
    if (isPublic === undefined) {
      isPublic =
        this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [handler, controller]) === true;
      handlers.set(handler, isPublic);
    }
    return isPublic;
  }
}
