import { ApiProperty } from '@nestjs/swagger';

export class CharacterDto {
  @ApiProperty({ example: 'char-petty' })
  code: string;

  @ApiProperty({ example: '페티', description: 'one of the 13 Korean character names' })
  name: string;

  @ApiProperty({
    example: '먹는샘물 페트병, 음료 페트병',
    description: 'what items the character stands for',
  })
  type: string;

  @ApiProperty({ example: '라벨과 뚜껑을 분리하고 투명하게 헹궈요!' })
  dialog: string;

  @ApiProperty({
    example: '무색페트병',
    nullable: true,
    type: String,
    description: 'the scan middle category that earns it',
  })
  match: string | null;

  @ApiProperty({ nullable: true, type: String })
  image_url: string | null;
}
