import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ShutdownSignal } from '../boot/shutdown-signal.js';
import { NotFound } from '../errors/domain-error.js';
import type { FeedFrame } from '../job-pipeline/job-feed.js';
import { SOCKET_CLOSE, SocketSession, type SocketLimits } from './socket-session.js';

/** The part of a `ws` socket the session uses, recording what it was asked to do. */
class FakeSocket extends EventEmitter {
  readonly OPEN = WebSocket.OPEN;
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  sent: unknown[] = [];
  pings = 0;
  closedWith: number | null = null;
  terminated = false;

  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  ping(): void {
    this.pings++;
  }
  close(code: number): void {
    this.closedWith = code;
    this.end();
  }
  terminate(): void {
    this.terminated = true;
    this.end();
  }
  private end(): void {
    if (this.readyState === WebSocket.CLOSED) return;
    this.readyState = WebSocket.CLOSED;
    this.emit('close');
  }
}

const LIMITS: SocketLimits = { heartbeatMs: 1000, maxBufferedBytes: 100, expiresAt: Date.now() + 3_600_000 };

function sessionOn(limits: Partial<SocketLimits> = {}) {
  const socket = new FakeSocket();
  const shutdown = new ShutdownSignal();
  const session = new SocketSession(socket as unknown as WebSocket, { ...LIMITS, ...limits }, shutdown);
  return { socket, shutdown, session };
}

/** A feed that yields its frames, then waits for the stop signal and yields a farewell frame. */
async function* feedUntilStopped(frames: FeedFrame[], stop: AbortSignal): AsyncGenerator<FeedFrame> {
  yield* frames;
  if (!stop.aborted) await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
  yield { event: 'error', data: { error: 'temporary' } };
}

describe('SocketSession', () => {
  afterEach(() => vi.useRealTimers());

  it('sends event frames as JSON {event, id, data} and leaves SSE comments out', async () => {
    const { socket, session } = sessionOn();
    await session.stream(async function* () {
      yield { id: 3, event: 'token', data: { seq: 1001 } };
      yield { comment: 'keep-alive' };
      yield { event: 'done', data: {} };
    });
    expect(socket.sent).toEqual([
      { id: 3, event: 'token', data: { seq: 1001 } },
      { event: 'done', data: {} },
    ]);
  });

  it('closes a client that reads too slowly (1013) instead of queueing without bound, and stops its feed', async () => {
    const { socket, session } = sessionOn();
    let pulled = 0;
    await session.stream(async function* () {
      for (;;) {
        pulled++;
        yield { event: 'token', data: { seq: pulled } };
        socket.bufferedAmount += 60;
      }
    });
    expect(socket.closedWith).toBe(SOCKET_CLOSE.tooSlow);
    expect(socket.sent).toHaveLength(2);
    expect(pulled).toBe(3);
  });

  it('pings on each heartbeat and drops a peer that did not answer the previous ping', () => {
    vi.useFakeTimers();
    const { socket } = sessionOn();
    vi.advanceTimersByTime(1000);
    expect(socket.pings).toBe(1);
    socket.emit('pong');
    vi.advanceTimersByTime(1000);
    expect(socket.pings).toBe(2);
    expect(socket.terminated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(socket.terminated).toBe(true);
  });

  it('closes the socket when its token expires (1008)', () => {
    vi.useFakeTimers();
    const { socket } = sessionOn({ heartbeatMs: 60_000, expiresAt: Date.now() + 5000 });
    vi.advanceTimersByTime(4999);
    expect(socket.closedWith).toBeNull();
    vi.advanceTimersByTime(1);
    expect(socket.closedWith).toBe(SOCKET_CLOSE.policy);
  });

  it('on shutdown stops the feeds, lets them send their last frame, then closes with 1012', async () => {
    const { socket, shutdown, session } = sessionOn();
    const streaming = session.stream((stop) => feedUntilStopped([{ event: 'token', data: {} }], stop));
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    shutdown.raise();
    await streaming;
    await vi.waitFor(() => expect(socket.closedWith).toBe(SOCKET_CLOSE.restarting));
    expect(socket.sent.at(-1)).toEqual({ event: 'error', data: { error: 'temporary' } });
  });

  it('stops a feed when the client goes away', async () => {
    const { socket, session } = sessionOn();
    const streaming = session.stream((stop) => feedUntilStopped([], stop));
    socket.terminate();
    await streaming;
    expect(socket.sent).toEqual([]);
  });

  it('renders a failed request as an error frame with the envelope code and the request context', () => {
    const { socket, session } = sessionOn();
    session.sendError(new NotFound('Chat not found'), { type: 'message', chat_id: 'c1' });
    expect(socket.sent).toEqual([
      {
        event: 'error',
        data: {
          type: 'message',
          chat_id: 'c1',
          error: 'not_found',
          code: 'NOT_FOUND',
          message: 'Chat not found',
        },
      },
    ]);
  });
});
