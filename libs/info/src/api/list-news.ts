import { Injectable } from '@nestjs/common';
import { decodeCursor, pageOf, ValidationFailed } from '#platform';
import type { ListNewsQueryDto, NewsArticleDto, NewsPageDto } from '../dto/news.dto.js';
import type { NewsArticle } from '../news-article.entity.js';
import { NewsCollectionSchedule } from './news-collection-schedule.js';
import { NewsRepository, type NewsFilter } from '../news.repository.js';

const DEFAULT_LIMIT = 10;

/**
 * `GET /info/news`: one keyset page of the feed, newest first. The cursor carries (published_at, id)
 * of the last article shown, so articles sharing a timestamp are neither repeated nor skipped (the
 * reference's "score < cursor" skipped them).
 */
@Injectable()
export class ListNews {
  constructor(
    private readonly news: NewsRepository,
    private readonly schedule: NewsCollectionSchedule,
  ) {}

  async execute(query: ListNewsQueryDto): Promise<NewsPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor);
    if (after && Number.isNaN(Date.parse(after.key))) {
      throw new ValidationFailed([{ field: 'cursor', message: 'invalid cursor' }]);
    }
    const filter: NewsFilter = {
      category: query.category === undefined || query.category === 'all' ? undefined : query.category,
      source: query.source === undefined || query.source === 'all' ? undefined : query.source,
      hasImage: query.has_image === true ? true : undefined,
    };
    const [rows, total] = await Promise.all([
      this.news.findPage(filter, after, limit + 1),
      this.news.count(filter),
    ]);
    const page = pageOf(rows, limit, (article) => ({
      key: article.publishedAt.toISOString(),
      id: article.id,
    }));
    return {
      articles: page.items.map(toDto),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
      meta: { total_cached: total, cache_expires_in: this.schedule.secondsUntilNextCollection() },
    };
  }
}

function toDto(article: NewsArticle): NewsArticleDto {
  return {
    id: article.id,
    title: article.title,
    url: article.url,
    snippet: article.snippet,
    source: article.source,
    source_name: article.sourceName,
    published_at: article.publishedAt.toISOString(),
    thumbnail_url: article.thumbnailUrl,
    source_icon_url: article.sourceIconUrl,
    keywords: article.keywords,
    category: article.category,
  };
}
