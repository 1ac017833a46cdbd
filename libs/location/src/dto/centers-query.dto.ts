import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { PICKUP_CATEGORIES, STORE_CATEGORIES } from '../api/site-categories.js';

/** "a,b" → ["a", "b"]; "all", empty or absent → undefined (no filter). */
export const categoryList = ({ value }: { value: unknown }): string[] | undefined => {
  const items = String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length === 0 || items.includes('all') ? undefined : items;
};

export class CoordinatesQuery {
  @ApiProperty({ example: 37.5665, minimum: -90, maximum: 90 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ example: 126.978, minimum: -180, maximum: 180 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon: number;
}

export class CentersQuery extends CoordinatesQuery {
  @ApiPropertyOptional({
    minimum: 100,
    maximum: 50_000,
    description: 'metres; default from zoom, else 5 000',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(50_000)
  radius?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: '16 − Kakao map level: higher is closer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  zoom?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, description: 'default from zoom, else 200' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: String, description: `comma list of ${STORE_CATEGORIES.join(', ')}; or all` })
  @IsOptional()
  @Transform(categoryList)
  @IsIn(STORE_CATEGORIES, {
    each: true,
    message: `store_category values must be among: all, ${STORE_CATEGORIES.join(', ')}`,
  })
  store_category?: string[];

  @ApiPropertyOptional({ type: String, description: `comma list of ${PICKUP_CATEGORIES.join(', ')}; or all` })
  @IsOptional()
  @Transform(categoryList)
  @IsIn(PICKUP_CATEGORIES, {
    each: true,
    message: `pickup_category values must be among: all, ${PICKUP_CATEGORIES.join(', ')}`,
  })
  pickup_category?: string[];
}
