import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { CursorPosition } from '#platform';
import { NewsArticle, type NewsCategory, type NewsSource } from './news-article.entity.js';
import { NewsFeedState } from './news-feed-state.entity.js';

export interface NewsFilter {
  category?: NewsCategory;
  source?: NewsSource;
  hasImage?: boolean;
}

// Keeps one INSERT's bound parameters far below SQLite's and PostgreSQL's limits.
const INSERT_BATCH = 200;

/** The only place that queries the news tables. */
@Injectable()
export class NewsRepository {
  constructor(
    @InjectRepository(NewsArticle) private readonly articles: Repository<NewsArticle>,
    @InjectRepository(NewsFeedState) private readonly feedStates: Repository<NewsFeedState>,
  ) {}

  /**
   * Up to `take` articles after `after`, newest first. Filters sit in the WHERE clause, before the
   * LIMIT, so a filtered page is full whenever enough articles match (the reference filtered after
   * paging and returned short pages). Ties on published_at are broken by id, the cursor's second half.
   */
  findPage(filter: NewsFilter, after: CursorPosition | undefined, take: number): Promise<NewsArticle[]> {
    const query = this.filtered(filter);
    if (after) {
      const publishedAt = new Date(after.key);
      query.andWhere(
        new Brackets((keyset) =>
          keyset
            .where('article.publishedAt < :publishedAt', { publishedAt })
            .orWhere('article.publishedAt = :publishedAt AND article.id < :afterId', { afterId: after.id }),
        ),
      );
    }
    return query
      .orderBy('article.publishedAt', 'DESC')
      .addOrderBy('article.id', 'DESC')
      .limit(take)
      .getMany();
  }

  count(filter: NewsFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  /** Of the given URLs, those already stored (so the collector skips fetching their pages). */
  async existingUrls(urls: string[]): Promise<Set<string>> {
    if (urls.length === 0) return new Set();
    const rows = await this.articles.find({ select: { url: true }, where: { url: In(urls) } });
    return new Set(rows.map((row) => row.url));
  }

  /**
   * Inserts the articles whose URL is not stored yet; the unique URL index settles races between
   * feeds and between collector replicas. Returns the articles that were actually stored (their
   * freshly generated ids survive only where this insert won).
   */
  async insertNew(articles: NewsArticle[]): Promise<NewsArticle[]> {
    if (articles.length === 0) return [];
    for (let start = 0; start < articles.length; start += INSERT_BATCH) {
      const batch = articles.slice(start, start + INSERT_BATCH);
      await this.articles.createQueryBuilder().insert().values(batch).orIgnore().execute();
    }
    const stored = await this.articles.find({
      select: { id: true },
      where: { id: In(articles.map((article) => article.id)) },
    });
    const storedIds = new Set(stored.map((row) => row.id));
    return articles.filter((article) => storedIds.has(article.id));
  }

  findFeedState(feedUrl: string): Promise<NewsFeedState | null> {
    return this.feedStates.findOneBy({ feedUrl });
  }

  async saveFeedState(state: NewsFeedState): Promise<void> {
    await this.feedStates.save(state);
  }

  private filtered(filter: NewsFilter): SelectQueryBuilder<NewsArticle> {
    const query = this.articles.createQueryBuilder('article');
    if (filter.category) query.andWhere('article.category = :category', { category: filter.category });
    if (filter.source) query.andWhere('article.source = :source', { source: filter.source });
    if (filter.hasImage === true) query.andWhere('article.thumbnailUrl IS NOT NULL');
    if (filter.hasImage === false) query.andWhere('article.thumbnailUrl IS NULL');
    return query;
  }
}
