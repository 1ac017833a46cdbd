import { BatchedLookup } from '../database/batched-lookup.js';
import { JobEventsUnavailable, type JobEventLog, type LoggedEvent } from './job-event-log.js';

/**
 * One event for the client: an SSE event (`id:` is what the client sends back as `Last-Event-ID`), or
 * a WebSocket frame `{event, id, data}` carrying the same fields.
 */
export interface EventFrame {
  id?: number;
  event: string;
  data: unknown;
}

/**
 * The `error` frame of a feed that ends before its job did, in the contract's words for scan and chat:
 * `timeout` (waited past the bound; the app reads the result instead) or `temporary` (the pod shuts down
 * or the event store is unreadable; the app reconnects, to this pod or another). `id`, when given, is
 * the last position the client saw.
 */
export function feedEndFrame(jobId: string, reason: 'timeout' | 'temporary', id?: number): EventFrame {
  const message = reason === 'timeout' ? 'Maximum wait time exceeded' : 'Temporarily unavailable; reconnect';
  return { id, event: 'error', data: { job_id: jobId, error: reason, message } };
}

/** An SSE comment (a keep-alive that is not an event); a WebSocket has nothing to send for it. */
export interface CommentFrame {
  comment: string;
}

export type FeedFrame = EventFrame | CommentFrame;

export const isEventFrame = (frame: FeedFrame): frame is EventFrame => 'event' in frame;

export interface FeedTiming {
  /** Quiet this long, the feed yields the keep-alive so proxies do not close the connection. */
  keepAliveMs: number;
  /** Past this the feed ends with the domain's timeout frame. */
  maxWaitMs: number;
  /** No event for this long, the feed asks the job's stored record whether it finished unannounced. */
  recordCheckMs: number;
  /** The event store unreadable this long, the feed ends with `rules.interrupted()`. */
  unreadableLimitMs: number;
}

/**
 * How the feeds of one process gather their record checks (`closingFromRecord`) into one query
 * (`BatchedLookup`): a check is due only after seconds of quiet, so waiting 50 ms more costs nothing,
 * and 5 000 quiet streams make a few queries a second instead of a thousand.
 */
const RECORD_CHECK_BATCHING = { windowMs: 50, maxBatch: 500 };

/** The job rows a feed's open streams ask for in their record checks, a batch per query. */
export function jobRecordLookup<T extends { id: string }>(
  loadMany: (ids: string[]) => Promise<T[]>,
): BatchedLookup<T> {
  return new BatchedLookup(loadMany, (job) => job.id, RECORD_CHECK_BATCHING);
}

/** What one kind of job adds to the shared feed loop. */
export interface JobFeedRules<E> {
  jobId: string;
  /** The first log position to follow. */
  from: number;
  /**
   * The frame for an event, or null to leave it out (one the client saw, or a repeat logged by a
   * redelivered job). `position` is the event's log position; none for a closing event rebuilt from
   * the record. Called in order, once per event, so it may keep state.
   */
  frameOf(event: E, position: number | undefined): EventFrame | null;
  /** True for an event after which the job logs nothing more (`done`, `error`): the feed ends there. */
  closes(event: E): boolean;
  /**
   * The job's closing event rebuilt from its stored record (database row) when the job finished, else
   * null: covers a closing event that expired or was never logged (the worker died in between).
   */
  closingFromRecord(): Promise<E | null>;
  keepAlive(): FeedFrame;
  timedOut(): EventFrame;
  /**
   * The last frame of a feed that ends before its job did, telling the client to come back (to this
   * pod or another): the process is shutting down, or the event store stayed unreadable.
   */
  interrupted(): EventFrame;
}

/**
 * What a feed's own stop controllers (this loop's, the SSE writer's, the WebSocket session's) are
 * aborted with; nothing reads it. Given, it spares `abort()` building a DOMException and its stack
 * trace per stream: a sixth of the API's CPU when 5 000 streams end in the same second.
 */
export const FEED_STOPPED = new Error('feed stopped');

/**
 * The frames of one job for one client: the logged events from `rules.from` on, then each new one as
 * the worker appends it, until the closing event, the record shows the job finished, `maxWaitMs`
 * passed (then `rules.timedOut()`), or `signal` aborts. Keep-alives fill the quiet. When `shutdown`
 * is raised, or the event store stays unreadable past `timing.unreadableLimitMs`, the last frame is
 * `rules.interrupted()`: the client reconnects instead of taking the end for the job's.
 *
 * The one follow loop of the codebase: an SSE response writes these frames, a WebSocket sends them.
 */
export async function* followJob<E>(
  log: JobEventLog<E>,
  rules: JobFeedRules<E>,
  timing: FeedTiming,
  signal: AbortSignal,
  shutdown: AbortSignal,
): AsyncGenerator<FeedFrame, void, undefined> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(FEED_STOPPED);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) stop.abort(FEED_STOPPED);
  const events = log.follow(rules.jobId, {
    from: rules.from,
    signal: stop.signal,
    unreadableLimitMs: timing.unreadableLimitMs,
  });
  const started = Date.now();
  let lastFrameAt = started;
  let lastEventAt = started;
  const dueAt = (): number =>
    Math.min(
      started + timing.maxWaitMs,
      lastFrameAt + timing.keepAliveMs,
      lastEventAt + timing.recordCheckMs,
    );

  // The loop sleeps until the log's next event settles or the deadline timer fires. The one pending
  // `events.next()` reports into `settled`, so an event costs no race, no timer and no extra promise
  // beyond the wake-up: with thousands of streams each event's cost is multiplied by nothing else.
  let settled: PromiseSettledResult<IteratorResult<LoggedEvent<E>, void>> | undefined;
  let timerFired = false;
  let wake: (() => void) | undefined;
  const nextEvent = (): void => {
    settled = undefined;
    events.next().then(
      (value) => {
        settled = { status: 'fulfilled', value };
        wake?.();
      },
      (reason: unknown) => {
        settled = { status: 'rejected', reason };
        wake?.();
      },
    );
  };
  const onTimer = (): void => {
    timerFired = true;
    wake?.();
  };
  // Armed for the earliest deadline and left alone while events push the deadlines later (they only
  // ever move later); when it fires early it is armed again for what is left.
  let timer = setTimeout(onTimer, Math.max(0, dueAt() - Date.now()));
  nextEvent();
  let storeUnreadable = false;
  try {
    while (!stop.signal.aborted) {
      if (!settled && !timerFired) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (settled) {
        const outcome = settled;
        if (outcome.status === 'rejected') {
          if (!(outcome.reason instanceof JobEventsUnavailable)) throw outcome.reason;
          storeUnreadable = true;
          break;
        }
        // The log's iteration ends only when stopped, or when the store stayed unreadable.
        if (outcome.value.done) break;
        const { event, position } = outcome.value.value;
        nextEvent();
        lastEventAt = Date.now();
        const frame = rules.frameOf(event, position);
        if (frame) {
          lastFrameAt = lastEventAt;
          yield frame;
        }
        if (rules.closes(event)) return;
        continue;
      }
      timerFired = false;
      const now = Date.now();
      if (now >= started + timing.maxWaitMs) {
        yield rules.timedOut();
        return;
      }
      if (now >= lastEventAt + timing.recordCheckMs) {
        lastEventAt = now;
        const closing = await rules.closingFromRecord().catch(() => null);
        if (closing) {
          const frame = rules.frameOf(closing, undefined);
          if (frame) yield frame;
          return;
        }
      }
      if (now >= lastFrameAt + timing.keepAliveMs) {
        lastFrameAt = now;
        yield rules.keepAlive();
      }
      timer = setTimeout(onTimer, Math.max(0, dueAt() - Date.now()));
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    stop.abort(FEED_STOPPED);
    await events.return(undefined);
  }
  if (storeUnreadable || shutdown.aborted) yield rules.interrupted();
}
