import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';

export interface FamilyRotation {
  refreshJti: string;
  accessJti: string;
  accessExpiresAt: Date;
  expiresAt: Date;
  now: Date;
}

/** The only place that queries refresh_token_families. */
@Injectable()
export class RefreshTokenFamilyRepository {
  constructor(
    @InjectRepository(RefreshTokenFamily) private readonly families: Repository<RefreshTokenFamily>,
  ) {}

  async insert(family: RefreshTokenFamily): Promise<void> {
    await this.families.insert(family);
  }

  findById(id: string): Promise<RefreshTokenFamily | null> {
    return this.families.findOneBy({ id });
  }

  findLiveByUser(userId: string): Promise<RefreshTokenFamily[]> {
    return this.families.findBy({ userId, revokedAt: IsNull() });
  }

  /**
   * Compare-and-set on the current refresh jti: of two requests presenting the same refresh token,
   * exactly one advances the family; the other sees `false` and is treated as reuse.
   */
  async rotate(familyId: string, presentedRefreshJti: string, next: FamilyRotation): Promise<boolean> {
    const result = await this.families.update(
      { id: familyId, currentRefreshJti: presentedRefreshJti, revokedAt: IsNull() },
      {
        currentRefreshJti: next.refreshJti,
        currentAccessJti: next.accessJti,
        accessExpiresAt: next.accessExpiresAt,
        expiresAt: next.expiresAt,
        updatedAt: next.now,
      },
    );
    return result.affected === 1;
  }

  async markRevoked(familyIds: string[], now: Date): Promise<void> {
    for (const id of familyIds) await this.families.update({ id }, { revokedAt: now, updatedAt: now });
  }
}
