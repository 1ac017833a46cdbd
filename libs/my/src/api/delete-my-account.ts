import { Injectable } from '@nestjs/common';
import { NotFound, type AuthenticatedUser } from '#platform';
import { UserAccounts, UserSessions } from '#auth';
import { ImageUploads } from '#storage';

/**
 * `DELETE /users/me`. Order matters: the image jobs are queued while the upload rows still exist, and
 * the tokens are revoked while the token families can still be listed; then the user row goes and the
 * foreign keys take ownerships, scans, chats, uploads, families and audits with it. A failure part-way
 * leaves the account in place, so the app can simply retry.
 */
@Injectable()
export class DeleteMyAccount {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly sessions: UserSessions,
    private readonly images: ImageUploads,
  ) {}

  async execute(caller: AuthenticatedUser): Promise<void> {
    if (!(await this.accounts.exists(caller.id))) throw new NotFound('User not found');
    await this.images.queueDeletionForUser(caller.id);
    await this.sessions.revokeAll(caller, 'account_deleted');
    await this.accounts.delete(caller.id);
  }
}
