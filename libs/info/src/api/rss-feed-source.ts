import { NewsFeedState } from '../news-feed-state.entity.js';
import type { NewsRepository } from '../news.repository.js';
import type { NewsSourceClient, NewsSourceFetch } from './news-source.js';
import { OutboundHttpError, outboundGet, type Clock, type OutboundLimits } from '#platform';
import { parseFeed } from './parse-feed.js';

/**
 * A configured RSS 2.0 or Atom feed, fetched with a conditional GET: the validators of the last
 * successful fetch are sent back, and a 304 means nothing to parse or store.
 */
export class RssFeedSource implements NewsSourceClient {
  readonly kind = 'rss';

  constructor(
    readonly name: string,
    private readonly news: NewsRepository,
    private readonly limits: OutboundLimits,
    private readonly clock: Clock,
  ) {}

  async fetch(signal: AbortSignal): Promise<NewsSourceFetch> {
    const previous = await this.news.findFeedState(this.name);
    const headers: Record<string, string> = {
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8',
    };
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    const response = await outboundGet({ url: this.name, headers, ...this.limits, signal });
    if (response.status === 304) return { status: 'not_modified', items: [] };
    if (response.status !== 200) throw new OutboundHttpError(`HTTP ${response.status}`);
    if (response.truncated) throw new OutboundHttpError(`feed larger than ${this.limits.maxBytes} bytes`);
    const items = parseFeed(response.body, this.name);
    const state = Object.assign(new NewsFeedState(), {
      feedUrl: this.name,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      checkedAt: this.clock.now(),
    });
    return { status: 'fetched', items, commit: () => this.news.saveFeedState(state) };
  }
}
