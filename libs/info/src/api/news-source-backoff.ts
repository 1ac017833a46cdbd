import { Counter, register } from 'prom-client';

/** After the first failure a source rests this long, doubling with each further failure in a row. */
const FIRST_PAUSE_MS = 5 * 60_000;
const LONGEST_PAUSE_MS = 6 * 60 * 60_000;

export const NEWS_SOURCE_FAILURES = 'news_source_failures_total';

/**
 * `news_source_failures_total{source}` in prom-client's default registry (the one `/metrics` serves),
 * looked up before it is created so several apps in one process (tests) share it.
 */
function failuresCounter(): Counter<'source'> {
  const existing = register.getSingleMetric(NEWS_SOURCE_FAILURES);
  if (existing) return existing as Counter<'source'>;
  return new Counter({
    name: NEWS_SOURCE_FAILURES,
    help: 'News source fetches that failed (unreachable, timed out, HTTP error, not a feed), by source',
    labelNames: ['source'],
  });
}

interface Failing {
  failures: number;
  retryAt: number;
}

/**
 * Per news source, the failures in a row and when to try it again. A failing source is left alone
 * for a pause that doubles with every failure (5 min up to 6 h), so an offline machine or a dead
 * feed costs one attempt and one log line per pause rather than one per collection, and the other
 * sources are collected meanwhile.
 */
export class NewsSourceBackoff {
  private readonly failing = new Map<string, Failing>();

  /** Whether `source` is still resting at `now`. */
  resting(source: string, now: Date): boolean {
    const state = this.failing.get(source);
    return state !== undefined && now.getTime() < state.retryAt;
  }

  /** Counts a failure and returns the failures in a row and when the source is tried next. */
  failed(source: string, now: Date): { failures: number; retryAt: Date } {
    failuresCounter().inc({ source });
    const failures = (this.failing.get(source)?.failures ?? 0) + 1;
    const pause = Math.min(FIRST_PAUSE_MS * 2 ** (failures - 1), LONGEST_PAUSE_MS);
    const retryAt = now.getTime() + pause;
    this.failing.set(source, { failures, retryAt });
    return { failures, retryAt: new Date(retryAt) };
  }

  /** Forgets the source's failures; true when it had any (it has recovered). */
  succeeded(source: string): boolean {
    return this.failing.delete(source);
  }
}
