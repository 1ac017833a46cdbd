import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Unauthorized } from '../errors/domain-error.js';
import type { AuthenticatedUser } from './access-token-verifier.js';
import type { AuthenticatedRequest } from './access-token.guard.js';

/** The caller the guard authenticated. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new Unauthorized();
    return user;
  },
);
