import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '#platform';
import type { Character } from './character.entity.js';
import { CharacterRepository } from './character.repository.js';
import { DEFAULT_CHARACTER_CODE } from './character-catalog-data.js';

export interface OwnedCharacter {
  character: Character;
  acquiredAt: Date;
}

export interface GrantOutcome {
  character: Character;
  received: boolean;
  alreadyOwned: boolean;
}

/**
 * Who owns which character. Exported for the my domain (owned list, default 이코) and the AI worker's
 * reward step; there is no public route that grants a character.
 */
@Injectable()
export class CharacterOwnerships {
  constructor(
    private readonly characters: CharacterRepository,
    private readonly clock: Clock,
  ) {}

  findByMatchLabel(matchLabel: string): Promise<Character | null> {
    return this.characters.findByMatchLabel(matchLabel);
  }

  async grant(
    userId: string,
    character: Character,
    source: string,
    manager?: EntityManager,
  ): Promise<GrantOutcome> {
    const { inserted } = await this.characters.insertOwnershipIfAbsent(
      userId,
      character,
      source,
      this.clock.now(),
      manager,
    );
    return { character, received: inserted, alreadyOwned: !inserted };
  }

  /** Everything the user owns, oldest first; a new user is granted 이코 first, exactly once. */
  async listOwnedEnsuringDefault(userId: string): Promise<OwnedCharacter[]> {
    let owned = await this.characters.findOwned(userId);
    if (!owned.some(({ character }) => character.code === DEFAULT_CHARACTER_CODE)) {
      const eco = await this.characters.findByCode(DEFAULT_CHARACTER_CODE);
      if (eco) {
        await this.grant(userId, eco, 'default-onboard');
        owned = await this.characters.findOwned(userId);
      }
    }
    return owned.map(({ character, ownership }) => ({ character, acquiredAt: ownership.acquiredAt }));
  }

  /** Ownership by the character's Korean name; an unknown name is simply not owned. */
  async ownsByName(userId: string, name: string): Promise<boolean> {
    const character = await this.characters.findByName(name);
    return character ? this.characters.ownsCode(userId, character.code) : false;
  }
}
