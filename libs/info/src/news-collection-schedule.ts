import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  AppConfig,
  Clock,
  KEY_VALUE_STORE,
  ShutdownSignal,
  type KeyValueStore,
} from '../../platform/src/index.js';
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
export class NewsCollectionSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NewsCollectionSchedule.name);
  private readonly intervalSeconds: number;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<unknown>;

  constructor(
    private readonly collectNews: CollectNews,
    private readonly sources: NewsSources,
    private readonly clock: Clock,
    private readonly shutdown: ShutdownSignal,
    @Inject(KEY_VALUE_STORE) private readonly keyValue: KeyValueStore,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.intervalSeconds = config.int('NEWS_COLLECT_INTERVAL_SECONDS');
  }

  onApplicationBootstrap(): void {
    if (this.intervalSeconds === 0 || this.sources.configured().length === 0) return;
    // A fresh pod collects at once when nobody has this slot yet, then on every tick.
    const tick = (): void => void this.runOnce();
    setImmediate(tick).unref();
    this.timer = setInterval(tick, this.intervalSeconds * 1000);
    this.timer.unref();
    this.shutdown.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  async onModuleDestroy(): Promise<void> {
    this.stop();
    await this.inFlight?.catch(() => undefined);
  }

  /** Seconds until the next slot begins, i.e. until the feed may next change ("cache_expires_in"). */
  secondsUntilNextCollection(): number {
    if (this.intervalSeconds === 0) return 0;
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    return this.intervalSeconds - (nowSeconds % this.intervalSeconds);
  }

  /** Collects unless another replica (or an earlier tick of this one) already took the current slot. */
  async runOnce(): Promise<CollectionReport | 'skipped' | 'failed'> {
    if (this.inFlight || this.shutdown.raised) return 'skipped';
    const interval = Math.max(this.intervalSeconds, 1);
    const slot = Math.floor(this.clock.now().getTime() / 1000 / interval);
    const won = await this.keyValue
      .set(`${LOCK_PREFIX}${slot}`, '1', { onlyIfAbsent: true, ttlSeconds: interval * 2 })
      .catch((error: unknown) => {
        this.logger.warn(`news collection lock unavailable, skipping this slot: ${String(error)}`);
        return false;
      });
    if (!won) return 'skipped';
    const run = this.collectNews.execute();
    this.inFlight = run;
    try {
      return await run;
    } catch (error) {
      this.logger.error(`news collection failed: ${error instanceof Error ? error.message : String(error)}`);
      return 'failed';
    } finally {
      this.inFlight = undefined;
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
