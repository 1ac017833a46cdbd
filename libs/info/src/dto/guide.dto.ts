import { ApiProperty } from '@nestjs/swagger';

const GUIDE_KEY_DOC =
  'the ASCII file stem of the rule document (e.g. `recyclable_clear_pet_bottles`), stable and URL-safe';

export class GuideSummaryDto {
  @ApiProperty({ example: 'recyclable_clear_pet_bottles', description: GUIDE_KEY_DOC })
  key: string;

  @ApiProperty({ example: '재활용폐기물' })
  major_category: string;

  @ApiProperty({ example: '무색페트병', description: 'equals the major category outside 재활용폐기물' })
  middle_category: string;

  @ApiProperty({ example: '무색페트병', description: 'the document’s own display name (이름)' })
  name: string;

  @ApiProperty({ example: 'Clear (colourless) PET bottles' })
  english: string;
}

export class GuideListDto {
  @ApiProperty({ type: GuideSummaryDto, isArray: true })
  guides: GuideSummaryDto[];
}

export class GuideDto extends GuideSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'the full rule document as shipped (Korean field names: key, category, 이름, 대상_품목, 대상_설명, 세부_품목, 배출방법_공통, 배출방법_세부, 배출불가_품목_안내, …)',
  })
  document: Record<string, unknown>;
}
