import { Logger } from '@nestjs/common';
import type { ShutdownSignal } from '../boot/shutdown-signal.js';
import type { HttpReply, HttpRequest } from '../http/http-types.js';
import { FEED_STOPPED, type FeedFrame } from '../job-pipeline/job-feed.js';

const logger = new Logger('EventStream');

/**
 * Answers with a `text/event-stream` and writes every frame `frames` yields, until it ends, the client
 * goes away or the process starts shutting down (so the server can drain; `frames` gets the signal
 * and may still yield a last frame). Call it only after every check that may still answer with an
 * error envelope (ownership), since the 200 and headers go out first. The one place that writes SSE.
 */
export async function serveEventStream(
  request: HttpRequest,
  reply: HttpReply,
  shutdown: ShutdownSignal,
  frames: (stop: AbortSignal) => AsyncIterable<FeedFrame>,
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
  const end = (): void => stop.abort(FEED_STOPPED);
  request.raw.on('close', end);
  const forgetShutdown = shutdown.onRaise(end);
  try {
    for await (const frame of frames(stop.signal)) {
      if (response.writableEnded || response.destroyed) break;
      response.write(sseText(frame));
    }
  } catch (error) {
    // The 200 is out: nothing to answer any more but to end the stream (the app then polls `/result`).
    logger.warn({ err: (error as Error).message, url: request.url }, 'event stream ended early');
  } finally {
    request.raw.off('close', end);
    forgetShutdown();
    if (!response.writableEnded) response.end();
  }
}

/** A frame as SSE text: `id:`, `event:` and one `data:` line of JSON, or a comment line. */
export function sseText(frame: FeedFrame): string {
  if ('comment' in frame) return `: ${frame.comment}\n\n`;
  const id = frame.id === undefined ? '' : `id: ${frame.id}\n`;
  return `${id}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

/** A `Last-Event-ID` header as a non-negative integer, or undefined. */
export function parseLastEventId(value: string | undefined): number | undefined {
  const id = Number.parseInt(value ?? '', 10);
  return Number.isFinite(id) && id >= 0 ? id : undefined;
}
