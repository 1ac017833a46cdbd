import { Injectable } from '@nestjs/common';
import { NotFound, type AuthenticatedUser } from '#platform';
import { UserAccounts } from '#auth';
import { CharacterOwnerships, type OwnedCharacter } from '#character';

/** `GET /users/me/characters`: a new user is granted 이코 here, exactly once however many first calls race. */
@Injectable()
export class ListMyCharacters {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly ownerships: CharacterOwnerships,
  ) {}

  async execute(caller: AuthenticatedUser): Promise<OwnedCharacter[]> {
    // A deleted user's still-valid token must not create an ownership row (or trip its foreign key).
    if (!(await this.accounts.exists(caller.id))) throw new NotFound('User not found');
    return this.ownerships.listOwnedEnsuringDefault(caller.id);
  }
}
