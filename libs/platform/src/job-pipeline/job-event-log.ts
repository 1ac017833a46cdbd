import { Inject, Injectable, Logger } from '@nestjs/common';
import { abortablePause } from '../clock/abortable-pause.js';
import { AppConfig } from '../config/app-config.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../kv/key-value-store.js';
import { jobLimitsOf } from './job-limits.js';

/** An event and its position in the job's log (0-based, in append order). */
export interface LoggedEvent<E> {
  position: number;
  event: E;
}

export interface FollowFrom {
  /** The first position to yield (0 replays the whole log; last seen position + 1 resumes). */
  from: number;
  /** Ends the iteration (client gone, process shutting down). */
  signal: AbortSignal;
  /** The store unreadable this long, the iteration throws `JobEventsUnavailable`. */
  unreadableLimitMs: number;
}

/** The event store stayed unreadable past the follower's bound: the client should come back later. */
export class JobEventsUnavailable extends Error {
  constructor(jobId: string, cause: string) {
    super(`events of job ${jobId} unreadable: ${cause}`);
  }
}

/** Pause before reading again when the store could not be read (it may be briefly unreachable). */
const REREAD_AFTER_ERROR_MS = 1000;

/**
 * A job's events as a list in the key-value store: the worker appends, every API pod reads, so a stream
 * works whichever pod serves it and replays after a reconnect. Each append keeps the list for
 * `ttlSeconds` after the job's last event. Followers are pushed new events by the store's one
 * subscription per process (`KeyValueStore.watchList`): nothing polls.
 */
export class JobEventLog<E> {
  private readonly logger: Logger;

  constructor(
    private readonly store: KeyValueStore,
    /** Names the log in keys and logs: `scan`, `chat`. */
    private readonly name: string,
    private readonly ttlSeconds: number,
  ) {
    this.logger = new Logger(`JobEventLog:${name}`);
  }

  /** Appends one or more events in one write; resolves with the position of the last. */
  async append(jobId: string, ...events: E[]): Promise<number> {
    const values = events.map((event) => JSON.stringify(event));
    return (await this.store.append(this.keyOf(jobId), values, this.ttlSeconds)) - 1;
  }

  /** Events stored from position `from` on, and the position to read from next time. */
  async readFrom(jobId: string, from: number): Promise<{ events: E[]; next: number }> {
    const raw = await this.store.range(this.keyOf(jobId), from);
    return { events: raw.map((text) => JSON.parse(text) as E), next: from + raw.length };
  }

  /**
   * Every event of the job from position `from` on, first those already logged, then each new one as
   * it is appended (pushed, not polled), in order, each exactly once. Ends when `signal` aborts or the
   * `for await` loop is left. A store that cannot be read (or whose subscription dropped) is read
   * again every second; once it has stayed unreadable for `unreadableLimitMs` the iteration throws
   * `JobEventsUnavailable`, so the client is told to come back instead of waiting on a silent stream.
   *
   * This is the one way to follow a job, for an SSE response and a WebSocket alike.
   */
  async *follow(
    jobId: string,
    { from, signal, unreadableLimitMs }: FollowFrom,
  ): AsyncGenerator<LoggedEvent<E>, void, undefined> {
    const key = this.keyOf(jobId);
    let next = from;
    /** Appends pushed by the store, as `[position, raw]`, not yet yielded. */
    const pushed: [number, string][] = [];
    let reread = true;
    /** When the store first failed a read in a row, if it does now. */
    let unreadableSince: number | undefined;
    const unreadable = async (error: Error): Promise<void> => {
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince >= unreadableLimitMs)
        throw new JobEventsUnavailable(jobId, error.message);
      this.logger.warn({ jobId, err: error.message }, 'could not read job events; trying again');
      await abortablePause(REREAD_AFTER_ERROR_MS, signal);
    };
    let wake: () => void = () => undefined;
    const wakeUp = (): void => wake();
    signal.addEventListener('abort', wakeUp);
    let unwatch: (() => void) | undefined;
    try {
      while (!signal.aborted) {
        if (!unwatch) {
          // Watch before reading, so an append between the read and the watch cannot be lost.
          unwatch = await this.store
            .watchList(key, {
              appended: (length, raw) => {
                pushed.push([length - 1, raw]);
                wake();
              },
              mayHaveMissed: () => {
                reread = true;
                wake();
              },
              // Appends go unheard until it is back: reading the list tells whether the store answers.
              connectionLost: () => {
                reread = true;
                wake();
              },
            })
            .catch(async (error: Error) => void (await unreadable(error)));
          if (!unwatch) continue;
        }
        if (reread) {
          let failure: Error | undefined;
          const raw = await this.store.range(key, next).catch((error: Error) => void (failure = error));
          if (!raw) {
            await unreadable(failure!);
            continue;
          }
          reread = false;
          unreadableSince = undefined;
          for (const text of raw) {
            const position = next++;
            const event = this.parse(jobId, text);
            if (event !== undefined) yield { position, event };
            if (signal.aborted) return;
          }
        }
        while (pushed.length > 0 && !reread) {
          const [position, text] = pushed.shift()!;
          // Already read with the list (it was appended between the watch and the read).
          if (position < next) continue;
          // A gap: an append was not pushed. The list is the truth.
          if (position > next) {
            reread = true;
            break;
          }
          next++;
          const event = this.parse(jobId, text);
          if (event !== undefined) yield { position, event };
          if (signal.aborted) return;
        }
        if (reread || pushed.length > 0 || signal.aborted) continue;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = () => undefined;
      }
    } finally {
      signal.removeEventListener('abort', wakeUp);
      unwatch?.();
    }
  }

  private keyOf(jobId: string): string {
    return `${this.name}:events:${jobId}`;
  }

  private parse(jobId: string, text: string): E | undefined {
    try {
      return JSON.parse(text) as E;
    } catch {
      this.logger.warn({ jobId }, 'skipped an event that is not JSON');
      return undefined;
    }
  }
}

/**
 * Opens the event log of a job kind by its limits prefix (`SCAN` → the `scan` log, events kept
 * `SCAN_EVENT_TTL_SECONDS`), on the process's key-value store.
 */
@Injectable()
export class JobEventLogs {
  constructor(
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  open<E>(limitsPrefix: string): JobEventLog<E> {
    return new JobEventLog<E>(
      this.store,
      limitsPrefix.toLowerCase(),
      jobLimitsOf(this.config, limitsPrefix).eventTtlSeconds,
    );
  }
}
