import { Injectable } from '@nestjs/common';
import { Conflict, NotFound, ValidationFailed, type AuthenticatedUser } from '#platform';
import { UserAccounts, normalizeKoreanPhoneNumber, type UserAccount } from '#auth';

export interface UpdateMyProfileCommand {
  nickname?: string;
  phoneNumber?: string;
}

/** `PATCH /users/me`: nickname and/or phone number; a number another user holds is a 409, never a 500. */
@Injectable()
export class UpdateMyProfile {
  constructor(private readonly accounts: UserAccounts) {}

  async execute(caller: AuthenticatedUser, command: UpdateMyProfileCommand): Promise<UserAccount> {
    const nickname = command.nickname?.trim();
    if (nickname === undefined && command.phoneNumber === undefined) {
      throw new ValidationFailed(
        [
          { field: 'nickname', message: 'give nickname or phone_number' },
          { field: 'phone_number', message: 'give nickname or phone_number' },
        ],
        'No changes provided',
      );
    }
    if (nickname === '')
      throw new ValidationFailed([{ field: 'nickname', message: 'nickname must not be blank' }]);
    const phoneNumber =
      command.phoneNumber === undefined ? undefined : normalizeKoreanPhoneNumber(command.phoneNumber);
    if (phoneNumber === null) {
      throw new ValidationFailed([
        { field: 'phone_number', message: 'not a Korean mobile number (010-XXXX-XXXX)' },
      ]);
    }
    if (!(await this.accounts.exists(caller.id))) throw new NotFound('User not found');
    const taken =
      phoneNumber !== undefined && (await this.accounts.isPhoneNumberHeldByAnother(phoneNumber, caller.id));
    // The unique key settles a race between the check and the write.
    if (taken || (await this.accounts.update(caller.id, { nickname, phoneNumber })) === 'phone_taken') {
      throw new Conflict('This phone number belongs to another account');
    }
    const account = await this.accounts.find(caller.id, caller.provider);
    if (!account) throw new NotFound('User not found');
    return account;
  }
}
