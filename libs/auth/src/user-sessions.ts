import { Injectable } from '@nestjs/common';
import { UserTokenCutoffs, type AuthenticatedUser } from '#platform';
import { RefreshTokenFamilies } from './api/refresh-token-families.js';

/**
 * Ends every login of a user at once (account deletion): every token issued to them so far, on any
 * device and from before any refresh, and every token family so none can be refreshed again.
 */
@Injectable()
export class UserSessions {
  constructor(
    private readonly families: RefreshTokenFamilies,
    private readonly cutoffs: UserTokenCutoffs,
  ) {}

  async revokeAll(caller: AuthenticatedUser, reason: string): Promise<void> {
    await this.cutoffs.cutOff(caller.id);
    await this.families.revokeEveryFamilyOf(caller.id, reason);
  }
}
