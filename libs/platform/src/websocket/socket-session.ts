import { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { ShutdownSignal } from '../boot/shutdown-signal.js';
import { describeError } from '../errors/error-envelope.filter.js';
import { FEED_STOPPED, isEventFrame, type EventFrame, type FeedFrame } from '../job-pipeline/job-feed.js';

const logger = new Logger('SocketSession');

/** The event a frame that is not a JSON object with a string `type` is delivered as. */
export const UNREADABLE_FRAME = 'unreadable';

/** Close codes (RFC 6455 §7.4.1) the app tells apart: all but `policy` mean "reconnect and resume". */
export const SOCKET_CLOSE = {
  /** The token the socket was opened with expired: reconnect with a fresh one. */
  policy: 1008,
  /** Going to another pod: the process is shutting down. */
  restarting: 1012,
  /** The client read too slowly and its unsent frames passed the bound. */
  tooSlow: 1013,
} as const;

export interface SocketLimits {
  /** A ping every this long; a client that has not answered the previous one is dropped. */
  heartbeatMs: number;
  /** Bytes queued for the client (`bufferedAmount`) past which the socket is closed, not grown. */
  maxBufferedBytes: number;
  /** When the socket's credentials stop being valid (epoch ms): the socket closes then. */
  expiresAt: number;
}

/**
 * One connected WebSocket client: frames go out as JSON `{event, id?, data}` (the fields an SSE event
 * has) under a backpressure bound, a heartbeat drops dead peers, and feeds streamed to it stop when it
 * closes. On shutdown the feeds are stopped (each may send a last frame telling the client to
 * reconnect) and then the socket closes, so the HTTP server can drain. The WebSocket twin of
 * `serveEventStream`.
 */
export class SocketSession {
  private readonly stop = new AbortController();
  private readonly streams = new Set<Promise<void>>();
  private alive = true;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: SocketLimits,
    shutdown: ShutdownSignal,
  ) {
    const heartbeat = setInterval(() => {
      if (!this.alive) return socket.terminate();
      this.alive = false;
      socket.ping();
    }, limits.heartbeatMs);
    const expiry = setTimeout(
      () => socket.close(SOCKET_CLOSE.policy, 'token expired'),
      Math.max(0, limits.expiresAt - Date.now()),
    );
    const onShutdown = (): void => {
      this.stop.abort(FEED_STOPPED);
      void Promise.allSettled([...this.streams]).then(() =>
        socket.close(SOCKET_CLOSE.restarting, 'server restarting'),
      );
    };
    socket.on('pong', () => (this.alive = true));
    const forgetShutdown = shutdown.onRaise(onShutdown);
    socket.once('close', () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      forgetShutdown();
      this.stop.abort(FEED_STOPPED);
    });
  }

  /** Sends one frame; false when the socket is gone or was just closed for reading too slowly. */
  send(frame: EventFrame): boolean {
    // The socket's own OPEN constant: `ws` is imported for its types only, so pods without sockets never load it.
    if (this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.socket.close(SOCKET_CLOSE.tooSlow, 'client too slow');
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * An `error` frame for a failed request: `error` is the envelope's code in the lower case of the
   * stream's own error names (`not_found`, `validation_error`), with the envelope's `code`, `message`
   * and `details`, and `context` (what the request named).
   */
  sendError(error: unknown, context: Record<string, unknown>): void {
    const { status, code, message, details } = describeError(error);
    if (status >= 500) logger.error({ err: error, ...context }, 'socket request failed');
    this.send({
      event: 'error',
      data: { ...context, error: code.toLowerCase(), code, message, ...(details ? { details } : {}) },
    });
  }

  /** Sends every event frame `frames` yields until it ends, the socket closes or shutdown begins. */
  async stream(frames: (stop: AbortSignal) => AsyncIterable<FeedFrame>): Promise<void> {
    const streaming = (async () => {
      try {
        for await (const frame of frames(this.stop.signal)) {
          // A comment is an SSE keep-alive; the heartbeat's ping does that job here.
          if (isEventFrame(frame) && !this.send(frame)) break;
        }
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'socket feed ended early');
      }
    })();
    this.streams.add(streaming);
    await streaming;
    this.streams.delete(streaming);
  }
}
