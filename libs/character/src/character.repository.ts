import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { EntityManager, Repository } from 'typeorm';
import { PreparedReads, type PreparedEntityRead } from '#platform';
import { Character } from './character.entity.js';
import { CharacterOwnership } from './character-ownership.entity.js';

/** The only place that queries the character tables. */
@Injectable()
export class CharacterRepository {
  /** A completed scan that earns a reward looks its character up by the classified middle category. */
  private byMatchLabel?: PreparedEntityRead<Character>;

  constructor(
    @InjectRepository(Character) private readonly characters: Repository<Character>,
    @InjectRepository(CharacterOwnership) private readonly ownerships: Repository<CharacterOwnership>,
    private readonly preparedReads: PreparedReads,
  ) {}

  findAll(): Promise<Character[]> {
    return this.characters.find({ order: { isDefault: 'DESC', code: 'ASC' } });
  }

  findByCode(code: string): Promise<Character | null> {
    return this.characters.findOneBy({ code });
  }

  findByName(name: string): Promise<Character | null> {
    return this.characters.findOneBy({ name });
  }

  async findByMatchLabel(matchLabel: string): Promise<Character | null> {
    this.byMatchLabel ??= this.preparedReads.prepareEntities(
      Character,
      '"match_label" = :matchLabel AND "is_default" = false LIMIT 1',
    );
    return (await this.byMatchLabel({ matchLabel }))[0] ?? null;
  }

  /**
   * Inserts the ownership unless the user already has it. Concurrent callers race on the unique key;
   * exactly one row survives and only its writer sees `inserted: true`.
   */
  async insertOwnershipIfAbsent(
    userId: string,
    character: Character,
    source: string,
    acquiredAt: Date,
    manager?: EntityManager,
  ): Promise<{ inserted: boolean; ownership: CharacterOwnership }> {
    const repository = manager ? manager.getRepository(CharacterOwnership) : this.ownerships;
    const id = randomUUID();
    await repository
      .createQueryBuilder()
      .insert()
      .values({ id, userId, characterId: character.id, characterCode: character.code, source, acquiredAt })
      .orIgnore()
      .execute();
    const ownership = await repository.findOneByOrFail({ userId, characterCode: character.code });
    return { inserted: ownership.id === id, ownership };
  }

  async findOwned(userId: string): Promise<{ ownership: CharacterOwnership; character: Character }[]> {
    const ownerships = await this.ownerships.find({
      where: { userId },
      order: { acquiredAt: 'ASC', id: 'ASC' },
    });
    if (ownerships.length === 0) return [];
    const characters = new Map((await this.characters.find()).map((c) => [c.id, c]));
    return ownerships.flatMap((ownership) => {
      const character = characters.get(ownership.characterId);
      return character ? [{ ownership, character }] : [];
    });
  }

  async ownsCode(userId: string, characterCode: string): Promise<boolean> {
    return (await this.ownerships.countBy({ userId, characterCode })) > 0;
  }
}
