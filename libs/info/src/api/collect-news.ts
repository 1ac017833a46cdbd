import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, Clock, ShutdownSignal } from '#platform';
import type { CollectedNewsItem } from './collected-news-item.js';
import { classifyNewsCategory } from './news-categories.js';
import { NewsArticle } from '../news-article.entity.js';
import { NewsSourceBackoff } from './news-source-backoff.js';
import type { NewsSourceClient, NewsSourceFetch } from './news-source.js';
import { NewsSources } from './news-sources.js';
import { truncateText } from './news-text.js';
import { NewsRepository } from '../news.repository.js';
import { fetchOpenGraphImage } from './open-graph-image.js';

const SNIPPET_MAX_CHARS = 300;
const TITLE_MAX_CHARS = 500;
const KEYWORDS_MAX = 10;
// The url column's width; longer links are tracking-parameter monsters, not worth a row.
const MAX_URL_LENGTH = 2048;
// Article pages are fetched a few at a time: politeness towards publishers, and a bound on sockets.
const OPEN_GRAPH_CONCURRENCY = 4;

export interface SourceReport {
  source: string;
  /** `resting`: not asked this time, it failed recently (see NewsSourceBackoff). */
  status: 'fetched' | 'not_modified' | 'failed' | 'resting';
  items: number;
  inserted: number;
  error?: string;
}

export interface CollectionReport {
  sources: SourceReport[];
  inserted: number;
}

/**
 * One news collection: every source fetched concurrently (a hanging one costs its own timeout,
 * never the others' items; a failing one rests for a growing pause), items de-duplicated by URL, thumbnails completed from the article
 * page's Open Graph image, categories assigned by keywords, new articles stored.
 */
@Injectable()
export class CollectNews {
  private readonly logger = new Logger(CollectNews.name);
  private readonly backoff = new NewsSourceBackoff();

  constructor(
    private readonly sources: NewsSources,
    private readonly news: NewsRepository,
    private readonly clock: Clock,
    private readonly shutdown: ShutdownSignal,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  execute(): Promise<CollectionReport> {
    return this.collect(this.sources.configured());
  }

  async collect(sources: NewsSourceClient[]): Promise<CollectionReport> {
    const startedAt = this.clock.now();
    const resting = sources.filter((source) => this.backoff.resting(source.name, startedAt));
    const fetches = await Promise.all(
      sources
        .filter((source) => !resting.includes(source))
        .map(async (source) => {
          try {
            return { source, fetch: await source.fetch(this.shutdown.signal) };
          } catch (error) {
            return { source, error: error instanceof Error ? error.message : String(error) };
          }
        }),
    );

    const seenUrls = new Set<string>();
    const candidates: { item: CollectedNewsItem; origin: NewsSourceClient }[] = [];
    for (const entry of fetches) {
      for (const item of entry.fetch?.items ?? []) {
        if (seenUrls.has(item.url) || item.url.length > MAX_URL_LENGTH) continue;
        seenUrls.add(item.url);
        candidates.push({ item, origin: entry.source });
      }
    }
    const stored = await this.news.existingUrls([...seenUrls]);
    const fresh = candidates.filter(({ item }) => !stored.has(item.url));
    await this.completeThumbnails(fresh.map(({ item }) => item));
    const inserted = await this.news.insertNew(fresh.map(({ item, origin }) => this.toArticle(item, origin)));
    const insertedPerSource = new Map<NewsSourceClient, number>();
    const insertedUrls = new Set(inserted.map((article) => article.url));
    for (const { item, origin } of fresh) {
      if (insertedUrls.has(item.url)) insertedPerSource.set(origin, (insertedPerSource.get(origin) ?? 0) + 1);
    }

    const reports: SourceReport[] = resting.map((source) => ({
      source: source.name,
      status: 'resting',
      items: 0,
      inserted: 0,
    }));
    for (const entry of fetches) {
      reports.push(await this.finish(entry, insertedPerSource.get(entry.source) ?? 0, startedAt));
    }
    return { sources: reports, inserted: inserted.length };
  }

  /**
   * Saves the source's conditional-GET state only now that its items are stored, and logs the outcome:
   * a failure once per attempt, which the backoff makes once per pause.
   */
  private async finish(
    entry: { source: NewsSourceClient; fetch?: NewsSourceFetch; error?: string },
    inserted: number,
    startedAt: Date,
  ): Promise<SourceReport> {
    const { source, fetch } = entry;
    let error = entry.error;
    if (fetch?.commit)
      await fetch.commit().catch((e: unknown) => (error = `saving feed state: ${String(e)}`));
    if (error !== undefined) {
      const { failures, retryAt } = this.backoff.failed(source.name, startedAt);
      this.logger.warn(
        `news source ${source.name} failed (${failures} in a row, next attempt after ${retryAt.toISOString()}): ${error}`,
      );
      return { source: source.name, status: 'failed', items: fetch?.items.length ?? 0, inserted, error };
    }
    if (this.backoff.succeeded(source.name)) this.logger.log(`news source ${source.name} recovered`);
    this.logger.log(
      `news source ${source.name}: ${fetch!.status}, ${fetch!.items.length} items, ${inserted} new`,
    );
    return { source: source.name, status: fetch!.status, items: fetch!.items.length, inserted };
  }

  private async completeThumbnails(items: CollectedNewsItem[]): Promise<void> {
    const missing = items.filter((item) => item.thumbnailUrl === null);
    const options = {
      timeoutMs: this.config.int('NEWS_OG_IMAGE_TIMEOUT_MS'),
      maxBytes: this.config.int('NEWS_OG_IMAGE_MAX_BYTES'),
      signal: this.shutdown.signal,
      allowPrivateHosts: this.config.bool('NEWS_PAGE_FETCH_ALLOW_PRIVATE_HOSTS'),
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length && !this.shutdown.raised) {
        const item = missing[next++];
        item.thumbnailUrl = await fetchOpenGraphImage(item.url, options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(OPEN_GRAPH_CONCURRENCY, missing.length) }, worker));
  }

  private toArticle(item: CollectedNewsItem, origin: NewsSourceClient): NewsArticle {
    const now = this.clock.now();
    const verdict = classifyNewsCategory(item.title, item.snippet, item.categoryHint);
    const keywords = [...new Set([...item.keywords, ...verdict.matched])].slice(0, KEYWORDS_MAX);
    return Object.assign(new NewsArticle(), {
      id: randomUUID(),
      url: item.url,
      title: truncateText(item.title, TITLE_MAX_CHARS),
      snippet: truncateText(item.snippet, SNIPPET_MAX_CHARS),
      source: origin.kind,
      sourceName: truncateText(item.sourceName, 255),
      sourceIconUrl: item.sourceIconUrl,
      thumbnailUrl: item.thumbnailUrl,
      category: verdict.category,
      keywords,
      // A missing or future date would pin the article to the top of the feed forever.
      publishedAt: item.publishedAt && item.publishedAt <= now ? item.publishedAt : now,
      createdAt: now,
    });
  }
}
