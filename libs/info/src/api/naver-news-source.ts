import type { CollectedNewsItem } from './collected-news-item.js';
import type { NewsCategory } from '../news-article.entity.js';
import type { NewsSourceClient, NewsSourceFetch } from './news-source.js';
import { naverSearch, type NaverCredentials } from './naver-search.js';
import { absoluteHttpUrl } from './news-text.js';
import type { OutboundLimits } from '#platform';

/** The search API only answers queries, so each category is asked for by its own words (as the reference did). */
const QUERIES: readonly { category: NewsCategory; query: string }[] = [
  { category: 'environment', query: '환경' },
  { category: 'environment', query: '재활용 분리배출' },
  { category: 'environment', query: '기후변화' },
  { category: 'energy', query: '에너지' },
  { category: 'energy', query: '신재생에너지' },
  { category: 'ai', query: '인공지능' },
];

/** Naver News search API (`/v1/search/news.json`, newest first). */
export class NaverNewsSource implements NewsSourceClient {
  readonly name = 'naver';
  readonly kind = 'naver';

  constructor(
    private readonly credentials: NaverCredentials,
    private readonly limits: OutboundLimits,
  ) {}

  async fetch(signal: AbortSignal): Promise<NewsSourceFetch> {
    const pages = await Promise.all(
      QUERIES.map(({ category, query }) => this.search(category, query, signal)),
    );
    return { status: 'fetched', items: pages.flat() };
  }

  private async search(
    category: NewsCategory,
    query: string,
    signal: AbortSignal,
  ): Promise<CollectedNewsItem[]> {
    const items = await naverSearch(
      this.credentials,
      { kind: 'news', query, display: 30, sort: 'date' },
      this.limits,
      signal,
    );
    return items.flatMap((item) => {
      // originallink is the publisher's page; link may be a news.naver.com mirror of it.
      const articleUrl = absoluteHttpUrl(item.originallink) ?? absoluteHttpUrl(item.link);
      if (!articleUrl || !item.title) return [];
      const publishedAt = item.pubDate ? new Date(item.pubDate) : null;
      return [
        {
          url: articleUrl,
          title: item.title,
          snippet: item.description,
          publishedAt: publishedAt && !Number.isNaN(publishedAt.getTime()) ? publishedAt : null,
          thumbnailUrl: null,
          sourceName: new URL(articleUrl).hostname.replace(/^www\./, ''),
          sourceIconUrl: null,
          keywords: [],
          categoryHint: category,
        },
      ];
    });
  }
}
