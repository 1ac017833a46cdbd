import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NEWS_CATEGORIES, NEWS_SOURCES } from '../news-article.entity.js';

export const NEWS_CATEGORY_FILTERS = ['all', ...NEWS_CATEGORIES] as const;
export const NEWS_SOURCE_FILTERS = ['all', ...NEWS_SOURCES] as const;

/** Query booleans arrive as strings; anything but a recognised spelling is left for @IsBoolean to refuse. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return value;
};

export class ListNewsQueryDto {
  @ApiPropertyOptional({ enum: NEWS_CATEGORY_FILTERS, default: 'all' })
  @IsOptional()
  @IsIn(NEWS_CATEGORY_FILTERS)
  category?: (typeof NEWS_CATEGORY_FILTERS)[number];

  @ApiPropertyOptional({ description: 'next_cursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ enum: NEWS_SOURCE_FILTERS, default: 'all' })
  @IsOptional()
  @IsIn(NEWS_SOURCE_FILTERS)
  source?: (typeof NEWS_SOURCE_FILTERS)[number];

  @ApiPropertyOptional({ type: Boolean, description: 'true: only articles with a thumbnail' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  has_image?: boolean;
}

export class NewsArticleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ description: 'the publisher’s article page' })
  url: string;

  @ApiProperty({ description: 'plain text, at most 300 characters' })
  snippet: string;

  @ApiProperty({ enum: NEWS_SOURCES })
  source: string;

  @ApiProperty({ example: '환경일보', description: 'the publisher or feed title' })
  source_name: string;

  @ApiProperty({ format: 'date-time' })
  published_at: string;

  @ApiProperty({ type: String, nullable: true })
  thumbnail_url: string | null;

  @ApiProperty({ type: String, nullable: true })
  source_icon_url: string | null;

  @ApiProperty({ type: String, isArray: true })
  keywords: string[];

  @ApiProperty({ enum: NEWS_CATEGORIES })
  category: string;
}

export class NewsMetaDto {
  @ApiProperty({ description: 'articles matching the filters' })
  total_cached: number;

  @ApiProperty({ description: 'seconds until the next collection may add articles (0: no schedule)' })
  cache_expires_in: number;
}

export class NewsPageDto {
  @ApiProperty({ type: NewsArticleDto, isArray: true, description: 'newest first' })
  articles: NewsArticleDto[];

  @ApiProperty()
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page' })
  next_cursor: string | null;

  @ApiProperty({ type: NewsMetaDto })
  meta: NewsMetaDto;
}

export class NewsCategoryDto {
  @ApiProperty({ example: 'environment' })
  id: string;

  @ApiProperty({ example: '환경' })
  name: string;
}

export class NewsCategoryListDto {
  @ApiProperty({ type: NewsCategoryDto, isArray: true })
  categories: NewsCategoryDto[];
}
