import type { CollectedNewsItem } from './collected-news-item.js';
import type { NewsCategory } from './news-article.entity.js';
import type { NewsSourceClient, NewsSourceFetch, OutboundLimits } from './news-source.js';
import { absoluteHttpUrl, plainText } from './news-text.js';
import { OutboundHttpError, outboundGet } from './outbound-http.js';

/** The search API only answers queries, so each category is asked for by its own words (as the reference did). */
const QUERIES: readonly { category: NewsCategory; query: string }[] = [
  { category: 'environment', query: '환경' },
  { category: 'environment', query: '재활용 분리배출' },
  { category: 'environment', query: '기후변화' },
  { category: 'energy', query: '에너지' },
  { category: 'energy', query: '신재생에너지' },
  { category: 'ai', query: '인공지능' },
];

interface NaverNewsResponse {
  items?: { title?: string; originallink?: string; link?: string; description?: string; pubDate?: string }[];
}

export interface NaverCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

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
    const url = new URL('/v1/search/news.json', this.credentials.baseUrl);
    url.search = new URLSearchParams({ query, display: '30', sort: 'date' }).toString();
    const response = await outboundGet({
      url: url.toString(),
      headers: {
        'x-naver-client-id': this.credentials.clientId,
        'x-naver-client-secret': this.credentials.clientSecret,
      },
      ...this.limits,
      signal,
    });
    if (response.status !== 200) throw new OutboundHttpError(`HTTP ${response.status} for "${query}"`);
    const body = JSON.parse(response.body) as NaverNewsResponse;
    return (body.items ?? []).flatMap((item) => {
      // originallink is the publisher's page; link may be a news.naver.com mirror of it.
      const articleUrl = absoluteHttpUrl(item.originallink) ?? absoluteHttpUrl(item.link);
      const title = plainText(item.title ?? '');
      if (!articleUrl || !title) return [];
      const publishedAt = item.pubDate ? new Date(item.pubDate) : null;
      return [
        {
          url: articleUrl,
          title,
          snippet: plainText(item.description ?? ''),
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
