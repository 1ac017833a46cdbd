import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
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

  find(userId: string, tokenProvider: string): Promise<UserAccount | null> {
    return this.users.findAccount(userId, tokenProvider);
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
