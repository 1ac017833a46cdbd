import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, NotFound } from '../../platform/src/index.js';
import type { Character } from './character.entity.js';
import { CharacterRepository } from './character.repository.js';
import type { CharacterDto } from './dto/character.dto.js';

/** Reads of the 13-character catalog. */
@Injectable()
export class CharacterCatalog {
  constructor(
    private readonly characters: CharacterRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async list(): Promise<CharacterDto[]> {
    return (await this.characters.findAll()).map((c) => this.toDto(c));
  }

  async get(code: string): Promise<CharacterDto> {
    const character = await this.characters.findByCode(code);
    if (!character) throw new NotFound(`No character ${code}`);
    return this.toDto(character);
  }

  toDto(character: Character): CharacterDto {
    const imageBase = this.config.optionalString('CHARACTER_IMAGE_BASE_URL');
    return {
      code: character.code,
      name: character.name,
      type: character.typeLabel,
      dialog: character.dialog,
      match: character.matchLabel,
      image_url:
        imageBase && character.cdnCode
          ? `${imageBase.replace(/\/$/, '')}/character/${character.cdnCode}.png`
          : null,
    };
  }
}
