import { ApiProperty } from '@nestjs/swagger';
import type { OwnedCharacter } from '#character';

export class OwnedCharacterDto {
  @ApiProperty({ format: 'uuid', description: 'the character id (not the ownership id)' })
  id: string;

  @ApiProperty({ example: 'char-eco' })
  code: string;

  @ApiProperty({ example: '이코', description: 'app reads it: one of the 13 Korean names' })
  name: string;

  @ApiProperty()
  type: string;

  @ApiProperty()
  dialog: string;

  @ApiProperty({ format: 'date-time' })
  acquired_at: string;

  static of({ character, acquiredAt }: OwnedCharacter): OwnedCharacterDto {
    return {
      id: character.id,
      code: character.code,
      name: character.name,
      type: character.typeLabel ?? '',
      dialog: character.dialog ?? '',
      acquired_at: acquiredAt.toISOString(),
    };
  }
}

export class CharacterOwnershipDto {
  @ApiProperty({ example: '페티' })
  character_name: string;

  @ApiProperty()
  owned: boolean;
}
