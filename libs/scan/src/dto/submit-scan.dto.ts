import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class SubmitScanDto {
  @ApiProperty({ description: 'a cdn_url from POST /api/v1/images/scan, uploaded by the caller' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  image_url: string;

  @ApiPropertyOptional({ description: 'what the user says about the item (e.g. "라벨 떼고 헹궜어요")' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  user_input?: string;

  /** The app sends a model name; it is recorded, never refused (API.md), whatever its type. */
  @ApiPropertyOptional({ description: 'requested model; accepted or ignored, never refused' })
  @Allow()
  model?: unknown;
}

export class ScanSubmittedDto {
  @ApiProperty() job_id: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
  @ApiProperty({ example: '/api/v1/scan/{job_id}/events' }) stream_url: string;
  @ApiProperty({ example: '/api/v1/scan/{job_id}/result' }) result_url: string;
}
