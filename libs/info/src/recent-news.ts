import { Injectable } from '@nestjs/common';
import type { NewsCategory } from './news-article.entity.js';
import { NewsRepository } from './news.repository.js';

export interface RecentArticle {
  title: string;
  source_name: string;
  published_at: string;
  url: string;
  snippet: string;
}

/** The newest collected articles, for other domains (the chat assistant's `general` tool). */
@Injectable()
export class RecentNews {
  constructor(private readonly news: NewsRepository) {}

  async latest(limit: number, category?: NewsCategory): Promise<RecentArticle[]> {
    const rows = await this.news.findPage({ category }, undefined, limit);
    return rows.map((article) => ({
      title: article.title,
      source_name: article.sourceName,
      published_at: article.publishedAt.toISOString(),
      url: article.url,
      snippet: article.snippet,
    }));
  }
}
