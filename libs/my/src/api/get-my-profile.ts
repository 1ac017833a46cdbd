import { Injectable } from '@nestjs/common';
import { NotFound, type AuthenticatedUser } from '#platform';
import { UserAccounts, type UserAccount } from '#auth';

/**
 * `GET /users/me`. A valid token whose user is gone answers 404, not 401: refreshing cannot fix it, and
 * the app would otherwise refresh and retry forever.
 */
@Injectable()
export class GetMyProfile {
  constructor(private readonly accounts: UserAccounts) {}

  async execute(caller: AuthenticatedUser): Promise<UserAccount> {
    const account = await this.accounts.find(caller.id, caller.provider);
    if (!account) throw new NotFound('User not found');
    return account;
  }
}
