import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../../platform/src/index.js';
import { RefreshTokenFamilies } from './refresh-token-families.js';
import { TokenBlacklist } from './token-blacklist.js';

/** Ends every login of a user at once (account deletion): the caller's access token and every token family. */
@Injectable()
export class UserSessions {
  constructor(
    private readonly families: RefreshTokenFamilies,
    private readonly blacklist: TokenBlacklist,
  ) {}

  async revokeAll(caller: AuthenticatedUser, reason: string): Promise<void> {
    await this.blacklist.revoke(caller.jti, new Date(caller.exp * 1000), reason);
    await this.families.revokeEveryFamilyOf(caller.id, reason);
  }
}
