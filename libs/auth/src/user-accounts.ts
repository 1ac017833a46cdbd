import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import type { SocialAccount } from './social-account.entity.js';
import type { User } from './user.entity.js';
import { UserRepository, type ProfileChanges } from './user.repository.js';

/** A user as other domains see it: the stored account plus the provider identity of the current login. */
export interface UserAccount {
  id: string;
  username: string;
  nickname: string | null;
  email: string | null;
  phoneNumber: string | null;
  profileImageUrl: string | null;
  provider: string | null;
  lastLoginAt: Date | null;
}

/**
 * The users table for the my domain (profile, deletion). Provider and last login come from the social
 * account of the token's provider, else the most recently used one (the reference's rule).
 */
@Injectable()
export class UserAccounts {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async find(userId: string, tokenProvider: string): Promise<UserAccount | null> {
    const found = await this.users.findWithSocialAccounts(userId);
    if (!found) return null;
    const { user, socialAccounts } = found;
    return toAccount(user, socialAccounts.find((a) => a.provider === tokenProvider) ?? socialAccounts[0]);
  }

  async exists(userId: string): Promise<boolean> {
    return (await this.users.findById(userId)) !== null;
  }

  isPhoneNumberHeldByAnother(phoneNumber: string, userId: string): Promise<boolean> {
    return this.users.isPhoneNumberHeldByAnother(phoneNumber, userId);
  }

  update(userId: string, changes: ProfileChanges): Promise<'updated' | 'phone_taken'> {
    return this.users.updateProfile(userId, changes, this.clock.now());
  }

  /** Removes the user and, through the foreign keys, everything every domain stored for them. */
  delete(userId: string): Promise<boolean> {
    return this.users.delete(userId);
  }
}

function toAccount(user: User, social: SocialAccount | undefined): UserAccount {
  return {
    id: user.id,
    username: user.username,
    nickname: user.nickname,
    email: user.email,
    phoneNumber: user.phoneNumber,
    profileImageUrl: user.profileImageUrl,
    provider: social?.provider ?? null,
    lastLoginAt: social?.lastLoginAt ?? user.lastLoginAt,
  };
}
