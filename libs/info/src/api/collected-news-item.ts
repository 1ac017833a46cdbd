import type { NewsCategory } from '../news-article.entity.js';

/** An article as a source delivered it, before dedupe, enrichment and classification. */
export interface CollectedNewsItem {
  url: string;
  title: string;
  snippet: string;
  publishedAt: Date | null;
  thumbnailUrl: string | null;
  sourceName: string;
  sourceIconUrl: string | null;
  keywords: string[];
  /** The category the source was asked for (Naver queries run per category), used when keywords say nothing. */
  categoryHint?: NewsCategory;
}
