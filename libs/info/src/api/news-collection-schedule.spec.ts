import { describe, expect, it, vi } from 'vitest';
import { AppConfig, FixedClock, InMemoryKeyValueStore, PeriodicRunner, ShutdownSignal } from '#platform';
import type { CollectNews } from './collect-news.js';
import { INFO_ENV } from '../info.env.js';
import { NewsCollectionSchedule } from './news-collection-schedule.js';
import type { NewsSources } from './news-sources.js';

const config = AppConfig.load(INFO_ENV, { NEWS_COLLECT_INTERVAL_SECONDS: '600' });

function replica(clock: FixedClock, store: InMemoryKeyValueStore) {
  const execute = vi.fn().mockResolvedValue({ sources: [], inserted: 0 });
  const schedule = new NewsCollectionSchedule(
    { execute } as unknown as CollectNews,
    { configured: () => [] } as unknown as NewsSources,
    clock,
    store,
    config,
    new PeriodicRunner(new ShutdownSignal(), config),
  );
  return { schedule, execute };
}

describe('news collection schedule', () => {
  it('lets exactly one of two replicas collect per interval, and collects again in the next one', async () => {
    const clock = new FixedClock(new Date('2025-03-01T00:00:10Z'));
    const store = new InMemoryKeyValueStore(clock);
    const a = replica(clock, store);
    const b = replica(clock, store);
    const outcomes = await Promise.all([a.schedule.runOnce(), b.schedule.runOnce()]);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(a.execute.mock.calls.length + b.execute.mock.calls.length).toBe(1);
    expect(await a.schedule.runOnce()).toBe('skipped');
    clock.advance(600_000);
    expect(await b.schedule.runOnce()).not.toBe('skipped');
    expect(a.execute.mock.calls.length + b.execute.mock.calls.length).toBe(2);
  });

  it('does not start a collection once its run was aborted (shutdown started)', async () => {
    const clock = new FixedClock(new Date('2025-03-01T00:00:10Z'));
    const { schedule, execute } = replica(clock, new InMemoryKeyValueStore(clock));
    expect(await schedule.runOnce(AbortSignal.abort())).toBe('skipped');
    expect(execute).not.toHaveBeenCalled();
  });

  it('tells the feed how long until the next collection', () => {
    const clock = new FixedClock(new Date('2025-03-01T00:00:10Z'));
    expect(replica(clock, new InMemoryKeyValueStore(clock)).schedule.secondsUntilNextCollection()).toBe(590);
  });
});
