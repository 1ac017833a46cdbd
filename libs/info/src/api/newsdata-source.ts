import type { CollectedNewsItem } from './collected-news-item.js';
import type { NewsCategory } from '../news-article.entity.js';
import type { NewsSourceClient, NewsSourceFetch } from './news-source.js';
import { absoluteHttpUrl, plainText } from './news-text.js';
import { OutboundHttpError, outboundGet, type OutboundLimits } from '#platform';

/** NewsData.io has an "environment" category of its own; energy and AI are asked for by words. */
const QUERIES: readonly { category: NewsCategory; params: Record<string, string> }[] = [
  { category: 'environment', params: { category: 'environment' } },
  { category: 'energy', params: { q: 'energy OR 에너지' } },
  { category: 'ai', params: { q: '"artificial intelligence" OR 인공지능' } },
];

interface NewsDataResponse {
  status?: string;
  results?: {
    link?: string;
    title?: string;
    description?: string | null;
    pubDate?: string | null;
    image_url?: string | null;
    source_id?: string;
    source_name?: string;
    source_icon?: string | null;
    keywords?: string[] | null;
  }[];
}

/** NewsData.io `/api/1/latest`, Korean and English. */
export class NewsDataSource implements NewsSourceClient {
  readonly name = 'newsdata';
  readonly kind = 'newsdata';

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly limits: OutboundLimits,
  ) {}

  async fetch(signal: AbortSignal): Promise<NewsSourceFetch> {
    const pages = await Promise.all(
      QUERIES.map(({ category, params }) => this.latest(category, params, signal)),
    );
    return { status: 'fetched', items: pages.flat() };
  }

  private async latest(
    category: NewsCategory,
    params: Record<string, string>,
    signal: AbortSignal,
  ): Promise<CollectedNewsItem[]> {
    const url = new URL('/api/1/latest', this.baseUrl);
    url.search = new URLSearchParams({ apikey: this.apiKey, language: 'ko,en', ...params }).toString();
    const response = await outboundGet({ url: url.toString(), ...this.limits, signal });
    if (response.status !== 200) throw new OutboundHttpError(`HTTP ${response.status} for ${category}`);
    const body = JSON.parse(response.body) as NewsDataResponse;
    return (body.results ?? []).flatMap((item) => {
      const articleUrl = absoluteHttpUrl(item.link);
      const title = plainText(item.title ?? '');
      if (!articleUrl || !title) return [];
      return [
        {
          url: articleUrl,
          title,
          snippet: plainText(item.description ?? ''),
          publishedAt: newsDataTime(item.pubDate),
          thumbnailUrl: absoluteHttpUrl(item.image_url),
          sourceName: item.source_name ?? item.source_id ?? new URL(articleUrl).hostname,
          sourceIconUrl: absoluteHttpUrl(item.source_icon),
          keywords: item.keywords ?? [],
          categoryHint: category,
        },
      ];
    });
  }
}

/** NewsData gives "2024-05-01 10:00:00" in UTC without a zone designator. */
function newsDataTime(text: string | null | undefined): Date | null {
  if (!text) return null;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
