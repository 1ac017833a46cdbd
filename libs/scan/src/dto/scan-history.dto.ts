import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ScanHistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class ScanHistoryClassificationDto {
  @ApiProperty() major_category: string;
  @ApiProperty() middle_category: string;
  @ApiProperty() minor_category: string;
}

export class ScanHistoryRewardDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() received: boolean;
  @ApiProperty() already_owned: boolean;
}

export class ScanHistoryErrorDto {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class ScanHistoryItemDto {
  @ApiProperty() job_id: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status: string;
  @ApiProperty() image_url: string;
  @ApiPropertyOptional({ nullable: true, type: String }) user_input: string | null;
  @ApiPropertyOptional({ nullable: true, type: ScanHistoryClassificationDto })
  classification: ScanHistoryClassificationDto | null;
  @ApiPropertyOptional({ nullable: true, type: ScanHistoryRewardDto }) reward: ScanHistoryRewardDto | null;
  @ApiPropertyOptional({ nullable: true, type: ScanHistoryErrorDto }) error: ScanHistoryErrorDto | null;
  @ApiProperty() result_url: string;
  @ApiProperty() created_at: string;
  @ApiPropertyOptional({ nullable: true, type: String }) completed_at: string | null;
}

export class ScanHistoryPageDto {
  @ApiProperty({ type: [ScanHistoryItemDto] }) items: ScanHistoryItemDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) next_cursor: string | null;
}
