import { Injectable } from '@nestjs/common';
import { AccessTokenVerifier, DomainError, type TokenClaims, type TokenType } from '#platform';
import { RefreshTokenFamilies } from './refresh-token-families.js';
import { TokenBlacklist } from './token-blacklist.js';

export interface LogOutCommand {
  accessToken?: string;
  refreshToken?: string;
}

/**
 * `POST /auth/logout`: revokes whatever valid tokens were presented (the access jti until its expiry,
 * and the login's whole refresh family) and never fails for a missing or bad token, because the app
 * treats a failing logout as still logged in.
 */
@Injectable()
export class LogOut {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly families: RefreshTokenFamilies,
    private readonly blacklist: TokenBlacklist,
  ) {}

  async execute(command: LogOutCommand): Promise<void> {
    const access = await this.claimsOf(command.accessToken, 'access');
    const refresh = await this.claimsOf(command.refreshToken, 'refresh');
    if (access) await this.blacklist.revoke(access.jti, new Date(access.exp * 1000), 'logout');
    const familyIds = new Set([access?.fam, refresh?.fam].filter((fam): fam is string => Boolean(fam)));
    if (familyIds.size > 0) await this.families.revoke([...familyIds], 'logout');
  }

  private async claimsOf(token: string | undefined, type: TokenType): Promise<TokenClaims | null> {
    if (!token) return null;
    try {
      return await this.verifier.verifySignature(token, type);
    } catch (error) {
      if (error instanceof DomainError && error.status === 401) return null;
      throw error;
    }
  }
}
