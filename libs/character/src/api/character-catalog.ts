import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, NotFound } from '#platform';
import type { Character } from '../character.entity.js';
import { CharacterRepository } from '../character.repository.js';
import type { CharacterDto } from '../dto/character.dto.js';

interface LoadedCatalog {
  list: CharacterDto[];
  byCode: Map<string, Character>;
  /** `list` as the JSON the catalog route sends, serialized once. */
  json: Buffer;
}

/**
 * Reads of the 13-character catalog. The rows change only through migrations, which run before a
 * release serves, so the catalog is read from the database once per process and kept; a still-empty
 * table (a pod that raced the migration job) is not kept, so the next read tries again.
 */
@Injectable()
export class CharacterCatalog {
  private loaded?: Promise<LoadedCatalog>;

  constructor(
    private readonly characters: CharacterRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async list(): Promise<CharacterDto[]> {
    return (await this.catalog()).list;
  }

  /** The catalog as serialized JSON: the hot, unchanging `GET /character/catalog`. */
  async listJson(): Promise<Buffer> {
    return (await this.catalog()).json;
  }

  async get(code: string): Promise<CharacterDto> {
    const character = (await this.catalog()).byCode.get(code);
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

  private catalog(): Promise<LoadedCatalog> {
    this.loaded ??= this.load().then(
      (catalog) => {
        if (catalog.list.length === 0) this.loaded = undefined;
        return catalog;
      },
      (error: unknown) => {
        this.loaded = undefined;
        throw error;
      },
    );
    return this.loaded;
  }

  private async load(): Promise<LoadedCatalog> {
    const rows = await this.characters.findAll();
    const list = rows.map((c) => this.toDto(c));
    return { list, byCode: new Map(rows.map((c) => [c.code, c])), json: Buffer.from(JSON.stringify(list)) };
  }
}
