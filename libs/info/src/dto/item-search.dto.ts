import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ItemSearchQueryDto {
  @ApiProperty({
    example: '투명 페트병',
    minLength: 1,
    maxLength: 100,
    description: 'an everyday item name, Korean or English; spacing, case and small typos are tolerated',
  })
  @IsString()
  @Length(1, 100)
  q: string;
}

export class ItemSearchResultDto {
  @ApiProperty({ example: '재활용폐기물' })
  major_category: string;

  @ApiProperty({ example: '무색페트병' })
  middle_category: string;

  @ApiProperty({ example: '무색페트병', description: 'the item of that category that matched best' })
  item: string;

  @ApiProperty({
    example: 'recyclable_clear_pet_bottles',
    description: 'key of the disposal guide (`GET /api/v1/info/guides/{key}`)',
  })
  guide_key: string;

  @ApiProperty({
    example: 1,
    description: '0–1; exact name 1, then prefix, contains and typo-tolerant matches in that order',
  })
  score: number;
}

export class ItemSearchResponseDto {
  @ApiProperty({ example: '투명 페트병' })
  query: string;

  @ApiProperty({ type: ItemSearchResultDto, isArray: true, description: 'one per category, best first' })
  results: ItemSearchResultDto[];
}
