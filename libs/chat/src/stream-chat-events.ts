import { Injectable, Logger } from '@nestjs/common';
import type { HttpReply, HttpRequest } from '../../platform/src/index.js';
import {
  parseLastEventId,
  serveEventStream,
  ShutdownSignal,
  type EventStream,
  type EventStreamTiming,
} from '../../platform/src/index.js';
import { ChatEvents, isClosing, type ChatEvent } from './chat-events.js';
import { ChatTurnOutcome } from './chat-turn-outcome.js';
import { OwnedChats } from './owned-chats.js';

const TIMING: EventStreamTiming = {
  pollMs: 100,
  keepAliveMs: 15_000,
  /** The reference's SSE gateway bound: past it the stream ends with a retryable `timeout` error. */
  maxWaitMs: 300_000,
};
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
    request: HttpRequest,
    response: HttpReply,
  ): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await this.owned.job(jobId, userId);
    await serveEventStream(request, response, this.shutdown, async (stream) => {
      const write: Write = (event, id) => stream.write({ id, event: event.event, data: event.data });
      try {
        await this.follow(job.id, parseLastEventId(lastEventId), write, stream);
        // Ending for a shutdown: tell the app to reconnect (to another pod) rather than give up.
        if (this.shutdown.raised && !stream.ended) {
          write({
            event: 'error',
            data: { job_id: job.id, error: 'temporary', message: 'Server restarting' },
          });
        }
      } catch (error) {
        this.logger.warn({ jobId, err: (error as Error).message }, 'chat event stream ended early');
      }
    });
  }

  private async follow(
    jobId: string,
    resumeAfter: number | undefined,
    write: Write,
    stream: EventStream,
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

    let lastEventAt = Date.now();
    await stream.follow(TIMING, {
      poll: async () => {
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
            lastEventAt = Date.now();
            if (isClosing(event)) return true;
          }
        } catch (error) {
          // The store may be briefly unreachable: keep the stream and try again at the next poll.
          this.logger.warn({ jobId, err: (error as Error).message }, 'could not read chat events');
        }
        if (Date.now() - lastEventAt < ROW_CHECK_MS) return false;
        lastEventAt = Date.now();
        const closing = await this.outcome.closingEventOf(jobId).catch(() => null);
        if (closing) write(closing);
        return closing !== null;
      },
      keepAlive: () => write({ event: 'keepalive', data: { job_id: jobId } }),
      timedOut: () =>
        write({
          event: 'error',
          data: { job_id: jobId, error: 'timeout', message: 'Maximum wait time exceeded' },
        }),
    });
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
