import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ShutdownSignal } from '../../platform/src/index.js';
import { ChatEvents, isClosing, type ChatEvent } from './chat-events.js';
import { ChatTurnOutcome } from './chat-turn-outcome.js';
import { OwnedChats } from './owned-chats.js';

const POLL_MS = 100;
const KEEPALIVE_MS = 15_000;
/** The reference's SSE gateway bound: past it the stream ends with a retryable `timeout` error. */
const MAX_WAIT_MS = 300_000;
/** Quiet this long, the stream also asks the job row whether the turn ended without a closing event. */
const ROW_CHECK_MS = 5000;

type Write = (event: ChatEvent, id?: number) => void;

/**
 * `GET /api/v1/chat/{job_id}/events`. Event ids are positions in the job's event log, so a reconnect
 * with `Last-Event-ID` resumes right after the last event it saw. A fresh connection to a job still
 * answering first gets one `token_recovery` with the text so far; to a finished job, only its closing
 * event. Stage events are deduplicated by seq and tokens by seq, so a redelivered job never shows a
 * stage or a token twice.
 */
@Injectable()
export class StreamChatEvents {
  private readonly logger = new Logger(StreamChatEvents.name);

  constructor(
    private readonly owned: OwnedChats,
    private readonly events: ChatEvents,
    private readonly outcome: ChatTurnOutcome,
    private readonly shutdown: ShutdownSignal,
  ) {}

  async run(
    userId: string,
    jobId: string,
    lastEventId: string | undefined,
    request: Request,
    response: Response,
  ): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await this.owned.job(jobId, userId);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();

    const write: Write = (event, id) =>
      void response.write(
        `${id === undefined ? '' : `id: ${id}\n`}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`,
      );
    const stop = new AbortController();
    const end = (): void => stop.abort();
    request.on('close', end);
    this.shutdown.signal.addEventListener('abort', end, { once: true });
    try {
      await this.follow(job.id, parseLastEventId(lastEventId), write, stop.signal);
      // Ending for a shutdown: tell the app to reconnect (to another pod) rather than give up.
      if (this.shutdown.raised && !response.writableEnded) {
        write({ event: 'error', data: { job_id: job.id, error: 'temporary', message: 'Server restarting' } });
      }
    } catch (error) {
      this.logger.warn({ jobId, err: (error as Error).message }, 'chat event stream ended early');
    } finally {
      request.off('close', end);
      this.shutdown.signal.removeEventListener('abort', end);
      if (!response.writableEnded) response.end();
    }
  }

  private async follow(
    jobId: string,
    resumeAfter: number | undefined,
    write: Write,
    stop: AbortSignal,
  ): Promise<void> {
    const fresh = resumeAfter === undefined;
    if (fresh) {
      const closing = await this.outcome.closingEventOf(jobId);
      if (closing) return write(closing);
    }
    let index = fresh ? 0 : resumeAfter + 1;
    let lastTokenSeq = 0;
    const sentStageSeqs = new Set<number>();
    if (fresh) lastTokenSeq = await this.recoverTokens(jobId, write);

    const started = Date.now();
    let lastEventAt = Date.now();
    let lastWrite = Date.now();
    while (!stop.aborted) {
      try {
        const events = await this.events.readFrom(jobId, index);
        for (const event of events) {
          const position = index++;
          const seq = Number(event.data.seq);
          if (event.event === 'token') {
            if (seq <= lastTokenSeq) continue;
            lastTokenSeq = seq;
          } else if (!isClosing(event)) {
            if (sentStageSeqs.has(seq)) continue;
            sentStageSeqs.add(seq);
          }
          write(event, position);
          lastEventAt = lastWrite = Date.now();
          if (isClosing(event)) return;
        }
      } catch (error) {
        // The store may be briefly unreachable: keep the stream and try again at the next poll.
        this.logger.warn({ jobId, err: (error as Error).message }, 'could not read chat events');
      }
      if (Date.now() - lastEventAt >= ROW_CHECK_MS) {
        lastEventAt = Date.now();
        const closing = await this.outcome.closingEventOf(jobId).catch(() => null);
        if (closing) return write(closing);
      }
      if (Date.now() - started >= MAX_WAIT_MS) {
        return write({
          event: 'error',
          data: { job_id: jobId, error: 'timeout', message: 'Maximum wait time exceeded' },
        });
      }
      if (Date.now() - lastWrite >= KEEPALIVE_MS) {
        write({ event: 'keepalive', data: { job_id: jobId } });
        lastWrite = Date.now();
      }
      await pause(POLL_MS, stop);
    }
  }

  /**
   * A fresh connection to a job mid-answer: one `token_recovery` with everything streamed so far.
   * `completed` is always false (with true the app closes without showing the answer); the `done`
   * that follows carries the full answer. Returns the last token seq it covered.
   */
  private async recoverTokens(jobId: string, write: Write): Promise<number> {
    const logged = await this.events.readFrom(jobId, 0).catch(() => []);
    const tokens = logged.filter((e) => e.event === 'token');
    if (tokens.length === 0 || logged.some(isClosing)) return 0;
    let accumulated = '';
    let lastSeq = 0;
    for (const token of tokens) {
      const seq = Number(token.data.seq);
      if (seq <= lastSeq) continue;
      accumulated += String(token.data.content);
      lastSeq = seq;
    }
    write({
      event: 'token_recovery',
      data: { job_id: jobId, accumulated, last_seq: lastSeq, completed: false },
    });
    return lastSeq;
  }
}

function parseLastEventId(value: string | undefined): number | undefined {
  const id = Number.parseInt(value ?? '', 10);
  return Number.isFinite(id) && id >= 0 ? id : undefined;
}

function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
  });
}
