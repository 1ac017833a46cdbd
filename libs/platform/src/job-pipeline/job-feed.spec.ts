import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.js';
import { InMemoryKeyValueStore } from '../kv/in-memory-key-value-store.js';
import type { KeyValueStore, ListWatcher } from '../kv/key-value-store.js';
import { JobEventLog, type LoggedEvent } from './job-event-log.js';
import { followJob, type FeedFrame, type JobFeedRules } from './job-feed.js';
import { JobStages } from './job-stages.js';

interface Ev {
  n: number;
  last?: boolean;
}

const stores: KeyValueStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function memoryStore(): InMemoryKeyValueStore {
  const store = new InMemoryKeyValueStore(new SystemClock());
  stores.push(store);
  return store;
}

/** Takes `count` items of an async iterable, failing after `ms` instead of hanging. */
async function take<T>(iterable: AsyncIterable<T>, count: number, ms = 2000): Promise<T[]> {
  const taken: T[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (taken.length < count) {
    const left = deadline - Date.now();
    const next = await Promise.race([
      iterator.next(),
      new Promise<'late'>((resolve) => setTimeout(resolve, Math.max(0, left), 'late')),
    ]);
    if (next === 'late') throw new Error(`took ${taken.length} of ${count} within ${ms} ms`);
    if (next.done) break;
    taken.push(next.value);
  }
  await iterator.return?.(undefined);
  return taken;
}

/** Every frame until the feed ends by itself. */
async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const frames: T[] = [];
  for await (const frame of iterable) frames.push(frame);
  return frames;
}

const eventsOf = (logged: LoggedEvent<Ev>[]): [number, number][] =>
  logged.map((l) => [l.position, l.event.n]);

describe('JobEventLog.follow', () => {
  it('yields what was logged from a position, then each append as it happens, each exactly once', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    await log.append('job', { n: 0 });
    await log.append('job', { n: 1 });
    const stop = new AbortController();
    const taking = take(log.follow('job', { from: 1, signal: stop.signal, unreadableLimitMs: 60_000 }), 3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await log.append('job', { n: 2 });
    await log.append('other', { n: 99 });
    await log.append('job', { n: 3 });
    expect(eventsOf(await taking)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('ends when its signal aborts, and lets go of its watch', async () => {
    const store = memoryStore();
    const log = new JobEventLog<Ev>(store, 'test', 60);
    const stop = new AbortController();
    const iterator = log.follow('job', { from: 0, signal: stop.signal, unreadableLimitMs: 60_000 });
    const pending = iterator.next();
    setTimeout(() => stop.abort(), 20);
    expect(await pending).toEqual({ done: true, value: undefined });
    await log.append('job', { n: 0 });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('re-reads the list when a push was lost, so no event goes missing', async () => {
    const inner = memoryStore();
    let dropNext = false;
    let watcherOf: ListWatcher | undefined;
    // A store whose subscription drops one push, as pub/sub may during a reconnect, then says so.
    const lossy: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      watchList: (key: string, watcher: ListWatcher) => {
        watcherOf = watcher;
        return inner.watchList(key, {
          appended: (length: number, value: string) => {
            if (dropNext) dropNext = false;
            else watcher.appended(length, value);
          },
          mayHaveMissed: () => watcher.mayHaveMissed(),
          connectionLost: () => watcher.connectionLost(),
        });
      },
    });
    const log = new JobEventLog<Ev>(lossy, 'test', 60);
    const stop = new AbortController();
    const taking = take(log.follow('job', { from: 0, signal: stop.signal, unreadableLimitMs: 60_000 }), 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await log.append('job', { n: 0 });
    dropNext = true;
    await log.append('job', { n: 1 });
    // The next push shows a gap (index 2 after 0): the follower reads the list instead.
    await log.append('job', { n: 2 });
    dropNext = true;
    await log.append('job', { n: 3 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    watcherOf!.mayHaveMissed();
    expect(eventsOf(await taking)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });
});

describe('followJob', () => {
  const timing = { keepAliveMs: 10_000, maxWaitMs: 10_000, recordCheckMs: 10_000, unreadableLimitMs: 60_000 };
  /** A process that is not shutting down. */
  const running = new AbortController().signal;

  function rules(overrides: Partial<JobFeedRules<Ev>> = {}): JobFeedRules<Ev> {
    return {
      jobId: 'job',
      from: 0,
      frameOf: (event, position) => ({ id: position, event: 'step', data: event }),
      closes: (event) => event.last === true,
      closingFromRecord: async () => null,
      keepAlive: () => ({ comment: 'keep-alive' }),
      timedOut: () => ({ event: 'error', data: { error: 'timeout' } }),
      interrupted: () => ({ event: 'error', data: { error: 'temporary' } }),
      ...overrides,
    };
  }

  it('ends right after the closing event', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    const feed = all(followJob(log, rules(), timing, new AbortController().signal, running));
    await log.append('job', { n: 0 });
    await log.append('job', { n: 1, last: true });
    await log.append('job', { n: 2 });
    expect(await feed).toEqual([
      { id: 0, event: 'step', data: { n: 0 } },
      { id: 1, event: 'step', data: { n: 1, last: true } },
    ]);
  });

  it('leaves out what frameOf refuses (a repeat), and still ends on a refused closing event', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    let highest = 0;
    const feed = all(
      followJob(
        log,
        rules({
          frameOf: (event) => {
            if (event.n <= highest) return null;
            highest = event.n;
            return { id: event.n, event: 'step', data: event };
          },
        }),
        timing,
        new AbortController().signal,
        running,
      ),
    );
    for (const n of [1, 2, 1, 2, 3]) await log.append('job', { n });
    await log.append('job', { n: 3, last: true });
    expect((await feed).map((f) => ('event' in f ? f.id : f.comment))).toEqual([1, 2, 3]);
  });

  it('fills quiet with keep-alives and ends with the timeout frame past the bounded wait', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    const started = Date.now();
    const frames = await all(
      followJob(
        log,
        rules(),
        { ...timing, keepAliveMs: 40, maxWaitMs: 300 },
        new AbortController().signal,
        running,
      ),
    );
    // Timers may fire late on a loaded machine, so fewer keep-alives than 300 / 40; never none.
    expect(frames.filter((f) => 'comment' in f).length).toBeGreaterThanOrEqual(1);
    expect(frames.at(-1)).toEqual({ event: 'error', data: { error: 'timeout' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('closes from the stored record when the closing event never made the log', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    let finished = false;
    const feed = all(
      followJob(
        log,
        rules({ closingFromRecord: async () => (finished ? { n: 9, last: true } : null) }),
        { ...timing, maxWaitMs: 5000, recordCheckMs: 30 },
        new AbortController().signal,
        running,
      ),
    );
    await log.append('job', { n: 0 });
    setTimeout(() => (finished = true), 80);
    expect(await feed).toEqual([
      { id: 0, event: 'step', data: { n: 0 } },
      { id: undefined, event: 'step', data: { n: 9, last: true } },
    ]);
  });

  it('stops at once, with no last frame, when its client goes away', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    const stop = new AbortController();
    const started = Date.now();
    const feed = all(followJob(log, rules(), timing, stop.signal, running));
    setTimeout(() => stop.abort(), 30);
    expect(await feed).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends with the interrupted frame when the process shuts down', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    const stop = new AbortController();
    const shutdown = new AbortController();
    const feed = all(followJob(log, rules(), timing, stop.signal, shutdown.signal));
    await log.append('job', { n: 0 });
    setTimeout(() => {
      // As serveEventStream does: the shutdown stops the stream too.
      shutdown.abort();
      stop.abort();
    }, 30);
    expect(await feed).toEqual([
      { id: 0, event: 'step', data: { n: 0 } },
      { event: 'error', data: { error: 'temporary' } },
    ]);
  });

  it('ends with the interrupted frame once the event store stays unreadable past the bound', async () => {
    const inner = memoryStore();
    let down = false;
    let watcherOf: ListWatcher | undefined;
    const unavailable = (): Promise<never> => Promise.reject(new Error('store down'));
    // A store that goes down mid-stream: its subscription says so, and reads fail.
    const failing: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      range: (key: string, from: number) => (down ? unavailable() : inner.range(key, from)),
      watchList: (key: string, watcher: ListWatcher) => {
        watcherOf = watcher;
        return inner.watchList(key, watcher);
      },
    });
    const log = new JobEventLog<Ev>(failing, 'test', 60);
    await log.append('job', { n: 0 });
    const started = Date.now();
    const feed = all(
      followJob(log, rules(), { ...timing, unreadableLimitMs: 1500 }, new AbortController().signal, running),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    down = true;
    watcherOf!.connectionLost();
    expect(await feed).toEqual([
      { id: 0, event: 'step', data: { n: 0 } },
      { event: 'error', data: { error: 'temporary' } },
    ]);
    // Read again every second until the bound: one outage of ~1.5 s, not a silent stream forever.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('rides over a store outage shorter than the bound, missing nothing', async () => {
    const inner = memoryStore();
    let down = false;
    let watcherOf: ListWatcher | undefined;
    const failing: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      range: (key: string, from: number) =>
        down ? Promise.reject(new Error('store down')) : inner.range(key, from),
      watchList: (key: string, watcher: ListWatcher) => {
        watcherOf = watcher;
        // While down, appends are not pushed (the subscription is gone).
        return inner.watchList(key, {
          ...watcher,
          appended: (length, value) => down || watcher.appended(length, value),
        });
      },
    });
    const log = new JobEventLog<Ev>(failing, 'test', 60);
    const feed = all(
      followJob(log, rules(), { ...timing, unreadableLimitMs: 5000 }, new AbortController().signal, running),
    );
    await log.append('job', { n: 0 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    down = true;
    watcherOf!.connectionLost();
    await log.append('job', { n: 1 });
    setTimeout(() => {
      down = false;
      watcherOf!.mayHaveMissed();
      void log.append('job', { n: 2, last: true });
    }, 1200);
    expect((await feed).map((f) => ('event' in f ? f.id : f.comment))).toEqual([0, 1, 2]);
  });

  it('serves many followers of one job from the one watch, each from its own position', async () => {
    const log = new JobEventLog<Ev>(memoryStore(), 'test', 60);
    await log.append('job', { n: 0 });
    const feeds: Promise<FeedFrame[]>[] = Array.from({ length: 100 }, (_, i) =>
      all(followJob(log, rules({ from: i % 2 }), timing, new AbortController().signal, running)),
    );
    await log.append('job', { n: 1, last: true });
    const results = await Promise.all(feeds);
    results.forEach((frames, i) => expect(frames).toHaveLength(i % 2 === 0 ? 2 : 1));
  });
});

describe('JobStages', () => {
  const stages = new JobStages(['queued', 'work', 'done'] as const, {
    queued: { started: 0, completed: 5 },
    work: { started: 10, completed: 90 },
    done: { started: 100, completed: 100 },
  });

  it('numbers each stage event: index × 10, +1 completed, +2 failed', () => {
    expect(stages.seq('queued', 'started')).toBe(0);
    expect(stages.seq('work', 'completed')).toBe(11);
    expect(stages.seq('done', 'completed')).toBe(21);
    expect(stages.seq('done', 'failed')).toBe(22);
  });

  it('leaves the bar where a failed stage started', () => {
    expect(stages.progress('work', 'completed')).toBe(90);
    expect(stages.progress('work', 'failed')).toBe(10);
  });

  it('refuses stages that do not run from queued to done', () => {
    expect(
      () =>
        new JobStages(['work', 'done'], {
          work: { started: 0, completed: 1 },
          done: { started: 1, completed: 1 },
        }),
    ).toThrow();
  });
});
