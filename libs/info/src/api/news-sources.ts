import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock, type OutboundLimits } from '#platform';
import { NaverNewsSource } from './naver-news-source.js';
import { naverCredentials } from './naver-search.js';
import { NewsDataSource } from './newsdata-source.js';
import type { NewsSourceClient } from './news-source.js';
import { NewsRepository } from '../news.repository.js';
import { RssFeedSource } from './rss-feed-source.js';

/** Builds the news sources from configuration: every feed URL, plus each news API that has a key. */
@Injectable()
export class NewsSources {
  private readonly limits: OutboundLimits;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly news: NewsRepository,
    private readonly clock: Clock,
  ) {
    this.limits = {
      timeoutMs: config.int('NEWS_FETCH_TIMEOUT_MS'),
      maxBytes: config.int('NEWS_FEED_MAX_BYTES'),
    };
  }

  configured(): NewsSourceClient[] {
    const sources: NewsSourceClient[] = this.config.list('NEWS_FEED_URLS').map((url) => this.feed(url));
    const naver = naverCredentials(this.config);
    if (naver) sources.push(new NaverNewsSource(naver, this.limits));
    const newsDataKey = this.config.optionalString('NEWSDATA_API_KEY');
    if (newsDataKey) {
      sources.push(new NewsDataSource(this.config.string('NEWSDATA_BASE_URL'), newsDataKey, this.limits));
    }
    return sources;
  }

  feed(url: string): RssFeedSource {
    return new RssFeedSource(url, this.news, this.limits, this.clock);
  }
}
