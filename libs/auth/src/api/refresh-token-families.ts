import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, Unauthorized, type TokenClaims } from '#platform';
import { RefreshTokenFamilyRepository } from '../refresh-token-family.repository.js';
import { TokenBlacklist } from './token-blacklist.js';
import { TokenSigner, type SignedTokenPair } from './token-signer.js';

const revoked = (): Unauthorized => new Unauthorized('TOKEN_REVOKED', 'Token revoked');

/**
 * Logins as chains of refresh tokens. Rotation hands out a new pair and retires the presented refresh
 * token; presenting a retired one means two parties hold the chain, so the whole family is revoked,
 * including the access token issued with its newest refresh token.
 */
@Injectable()
export class RefreshTokenFamilies {
  constructor(
    private readonly families: RefreshTokenFamilyRepository,
    private readonly signer: TokenSigner,
    private readonly blacklist: TokenBlacklist,
    private readonly clock: Clock,
  ) {}

  async start(userId: string, provider: string, deviceId: string | null): Promise<SignedTokenPair> {
    const pair = await this.signer.signPair(userId, provider, randomUUID());
    const now = this.clock.now();
    await this.families.insert({
      id: pair.familyId,
      userId,
      provider,
      currentRefreshJti: pair.refresh.jti,
      currentAccessJti: pair.access.jti,
      accessExpiresAt: pair.access.expiresAt,
      expiresAt: pair.refresh.expiresAt,
      revokedAt: null,
      deviceId,
      createdAt: now,
      updatedAt: now,
    });
    return pair;
  }

  async rotate(refresh: TokenClaims): Promise<SignedTokenPair> {
    const family = refresh.fam ? await this.families.findById(refresh.fam) : null;
    if (!family || family.userId !== refresh.sub || family.revokedAt) throw revoked();
    const pair = await this.signer.signPair(family.userId, family.provider, family.id);
    const advanced = await this.families.rotate(family.id, refresh.jti, {
      refreshJti: pair.refresh.jti,
      accessJti: pair.access.jti,
      accessExpiresAt: pair.access.expiresAt,
      expiresAt: pair.refresh.expiresAt,
      now: this.clock.now(),
    });
    if (!advanced) {
      await this.revoke([family.id], 'refresh_token_reused');
      throw revoked();
    }
    return pair;
  }

  async revoke(familyIds: string[], reason: string): Promise<void> {
    // Revoked first, then read: a rotation racing with us can no longer advance the family, so the
    // access jti read afterwards is the last one it will ever issue.
    await this.families.markRevoked(familyIds, this.clock.now());
    for (const id of familyIds) {
      const family = await this.families.findById(id);
      if (family) await this.blacklist.revoke(family.currentAccessJti, family.accessExpiresAt, reason);
    }
  }

  async revokeEveryFamilyOf(userId: string, reason: string): Promise<void> {
    const families = await this.families.findLiveByUser(userId);
    await this.revoke(
      families.map((family) => family.id),
      reason,
    );
  }
}
