import type { CollectedNewsItem } from './collected-news-item.js';
import type { NewsSource } from '../news-article.entity.js';

export interface NewsSourceFetch {
  status: 'fetched' | 'not_modified';
  items: CollectedNewsItem[];
  /** Persists what the next fetch needs (conditional-GET validators); called once the items are stored. */
  commit?: () => Promise<void>;
}

/** One place news comes from: a configured feed URL, the Naver News API or NewsData.io. */
export interface NewsSourceClient {
  /** Names the source in logs and collection reports (a feed's URL, "naver", "newsdata"). */
  readonly name: string;
  /** Stored as the article's `source` (the `source` filter of the feed). */
  readonly kind: NewsSource;
  fetch(signal: AbortSignal): Promise<NewsSourceFetch>;
}
