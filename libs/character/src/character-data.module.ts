import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CharacterCatalog } from './api/character-catalog.js';
import { CharacterOwnerships } from './character-ownerships.js';
import { CharacterRepository } from './character.repository.js';
import { Character } from './character.entity.js';
import { CharacterOwnership } from './character-ownership.entity.js';

/**
 * The character services without routes: imported by other domains (my, the AI worker's reward step)
 * so a pod that does not serve `/api/v1/character` still reads and grants characters.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Character, CharacterOwnership])],
  providers: [CharacterRepository, CharacterCatalog, CharacterOwnerships],
  exports: [CharacterCatalog, CharacterOwnerships],
})
export class CharacterDataModule {}
