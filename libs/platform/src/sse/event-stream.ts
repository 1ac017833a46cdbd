import type { ServerResponse } from 'node:http';
import type { ShutdownSignal } from '../boot/shutdown-signal.js';
import { abortablePause } from '../clock/abortable-pause.js';
import type { HttpReply, HttpRequest } from '../http/http-types.js';

/** One server-sent event; `id` is what the client sends back as `Last-Event-ID` on reconnect. */
export interface SseFrame {
  id?: number;
  event: string;
  data: unknown;
}

export interface EventStreamTiming {
  pollMs: number;
  /** Quiet this long, the stream writes a keep-alive so proxies do not close it. */
  keepAliveMs: number;
  /** Past this the stream ends with the domain's timeout event. */
  maxWaitMs: number;
}

/** What a domain's stream does; the loop around it (polling, keep-alive, bounded wait, stop) is shared. */
export interface EventStreamFollower {
  /** Writes what is new; returns true when the stream is finished. */
  poll(stream: EventStream): Promise<boolean>;
  keepAlive(stream: EventStream): void;
  timedOut(stream: EventStream): void;
}

/**
 * An open `text/event-stream` response. Ended by the client closing the connection or by the process
 * starting to shut down (so the server can drain); `stopped` tells which.
 */
export class EventStream {
  private lastWriteAt = Date.now();

  constructor(
    private readonly response: ServerResponse,
    readonly stop: AbortSignal,
  ) {}

  get ended(): boolean {
    return this.response.writableEnded;
  }

  write(frame: SseFrame): void {
    this.lastWriteAt = Date.now();
    this.response.write(
      `${frame.id === undefined ? '' : `id: ${frame.id}\n`}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`,
    );
  }

  comment(text: string): void {
    this.lastWriteAt = Date.now();
    this.response.write(`: ${text}\n\n`);
  }

  /**
   * Calls `follower.poll` until it reports the end, the stream is stopped or `maxWaitMs` passed,
   * writing a keep-alive whenever nothing was written for `keepAliveMs`.
   */
  async follow(timing: EventStreamTiming, follower: EventStreamFollower): Promise<void> {
    const started = Date.now();
    while (!this.stop.aborted) {
      if (await follower.poll(this)) return;
      if (Date.now() - started >= timing.maxWaitMs) return follower.timedOut(this);
      if (Date.now() - this.lastWriteAt >= timing.keepAliveMs) follower.keepAlive(this);
      await abortablePause(Math.min(timing.pollMs, timing.keepAliveMs), this.stop);
    }
  }
}

/**
 * Opens the SSE response and runs `serve` until it returns, the client goes away or the process
 * starts shutting down; then ends the response. Call it only after every check that may still answer
 * with an error envelope (ownership), since the 200 and headers go out first.
 */
export async function serveEventStream(
  request: HttpRequest,
  reply: HttpReply,
  shutdown: ShutdownSignal,
  serve: (stream: EventStream) => Promise<void>,
): Promise<void> {
  // The stream is written straight to the Node response: Fastify steps aside, and the headers it
  // holds for the reply (CORS, anything a guard set) go out with ours.
  reply.hijack();
  const response = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) response.setHeader(name, value);
  }
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();

  const stop = new AbortController();
  const end = (): void => stop.abort();
  request.raw.on('close', end);
  shutdown.signal.addEventListener('abort', end, { once: true });
  try {
    await serve(new EventStream(response, stop.signal));
  } finally {
    request.raw.off('close', end);
    shutdown.signal.removeEventListener('abort', end);
    if (!response.writableEnded) response.end();
  }
}

/** A `Last-Event-ID` header as a non-negative integer, or undefined. */
export function parseLastEventId(value: string | undefined): number | undefined {
  const id = Number.parseInt(value ?? '', 10);
  return Number.isFinite(id) && id >= 0 ? id : undefined;
}
