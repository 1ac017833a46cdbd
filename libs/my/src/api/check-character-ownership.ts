import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '#platform';
import { CharacterOwnerships } from '#character';

/** `GET /users/me/characters/{name}/ownership`: an unknown name is simply not owned. */
@Injectable()
export class CheckCharacterOwnership {
  constructor(private readonly ownerships: CharacterOwnerships) {}

  execute(caller: AuthenticatedUser, characterName: string): Promise<boolean> {
    return this.ownerships.ownsByName(caller.id, characterName);
  }
}
