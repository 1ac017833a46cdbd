import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class SuggestQuery {
  @ApiProperty({ example: '고양시청', minLength: 1, maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  q: string;
}

export class SearchQuery extends SuggestQuery {
  @ApiPropertyOptional({
    minimum: 100,
    maximum: 50_000,
    default: 5000,
    description: 'metres around the best match',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(50_000)
  radius?: number;

  @ApiPropertyOptional({ description: 'measure distances from here instead of from the best match' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon?: number;
}

/** Site ids are an `integer` column: a larger number is no site, and PostgreSQL refuses to compare it. */
const MAX_SITE_ID = 2_147_483_647;

export class CenterIdParam {
  @ApiProperty({ example: 12, minimum: 1, maximum: MAX_SITE_ID })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SITE_ID)
  id: number;
}
