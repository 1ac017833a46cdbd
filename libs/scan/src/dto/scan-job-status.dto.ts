import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ScanJobStatusDto {
  @ApiProperty() job_id: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status: string;
  @ApiProperty({ description: 'latest pipeline stage' }) stage: string;
  @ApiProperty({ description: '0–100' }) progress: number;
  @ApiProperty() created_at: string;
  @ApiPropertyOptional({ nullable: true, type: String }) completed_at: string | null;
}

export class ScanCategoryMiddleDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) examples: string[];
}

export class ScanCategoryDto {
  @ApiProperty({ description: 'major category (대분류)' }) name: string;
  @ApiProperty() recyclable: boolean;
  @ApiProperty({
    type: [ScanCategoryMiddleDto],
    description: 'middle categories; one per non-recyclable major',
  })
  middle_categories: ScanCategoryMiddleDto[];
}

export class ScanCategoriesDto {
  @ApiProperty({ type: [String] }) majors: string[];
  @ApiProperty({ type: [ScanCategoryMiddleDto], description: 'the 12 recyclable middle categories' })
  recyclable: ScanCategoryMiddleDto[];
  @ApiProperty({ type: [ScanCategoryDto] }) categories: ScanCategoryDto[];
}
