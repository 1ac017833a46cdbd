import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, KEY_VALUE_STORE, PeriodicRunner, type KeyValueStore } from '#platform';
import { CollectNews, type CollectionReport } from './collect-news.js';
import { NewsSources } from './news-sources.js';

const LOCK_PREFIX = 'info:news:collect:';

/**
 * Runs the news collection inside every info pod, but once per interval across all of them: the
 * interval is cut into clock-aligned slots and a replica collects only after winning that slot's
 * key (`set … onlyIfAbsent`). Aligning on the clock rather than on each pod's start time means
 * replicas agree on the slot without talking to each other.
 */
@Injectable()
export class NewsCollectionSchedule {
  private readonly logger = new Logger(NewsCollectionSchedule.name);
  private readonly intervalSeconds: number;

  constructor(
    private readonly collectNews: CollectNews,
    sources: NewsSources,
    private readonly clock: Clock,
    @Inject(KEY_VALUE_STORE) private readonly keyValue: KeyValueStore,
    @Inject(AppConfig) config: AppConfig,
    runner: PeriodicRunner,
  ) {
    this.intervalSeconds = config.int('NEWS_COLLECT_INTERVAL_SECONDS');
    if (this.intervalSeconds === 0 || sources.configured().length === 0) return;
    // A fresh pod collects at once when nobody has this slot yet, then once per interval.
    runner.schedule({
      name: 'news-collection',
      everyMs: this.intervalSeconds * 1000,
      run: async (signal) => void (await this.runOnce(signal)),
    });
  }

  /** Seconds until the next slot begins, i.e. until the feed may next change ("cache_expires_in"). */
  secondsUntilNextCollection(): number {
    if (this.intervalSeconds === 0) return 0;
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    return this.intervalSeconds - (nowSeconds % this.intervalSeconds);
  }

  /**
   * Collects unless another replica (or an earlier run of this one) already took the current slot, or
   * shutdown started. A failed collection rejects (the runner logs and counts it).
   */
  async runOnce(signal?: AbortSignal): Promise<CollectionReport | 'skipped'> {
    if (signal?.aborted) return 'skipped';
    const interval = Math.max(this.intervalSeconds, 1);
    const slot = Math.floor(this.clock.now().getTime() / 1000 / interval);
    const won = await this.keyValue
      .set(`${LOCK_PREFIX}${slot}`, '1', { onlyIfAbsent: true, ttlSeconds: interval * 2 })
      .catch((error: unknown) => {
        this.logger.warn(`news collection lock unavailable, skipping this slot: ${String(error)}`);
        return false;
      });
    if (!won || signal?.aborted) return 'skipped';
    return this.collectNews.execute();
  }
}
