import { Inject, Injectable } from '@nestjs/common';
import {
  AppConfig,
  type BatchedLookup,
  feedEndFrame,
  followJob,
  jobRecordLookup,
  jobLimitsOf,
  ShutdownSignal,
} from '#platform';
import type { EventFrame, FeedFrame, FeedTiming, JobFeed, JobFeedRequest } from '#platform';
import { ChatEvents, isClosing, type ChatEvent } from '../chat-events.js';
import type { ChatJob } from '../chat-job.entity.js';
import { ChatTurnOutcome } from '../chat-turn-outcome.js';
import { ChatRepository } from '../chat.repository.js';
import { CHAT_LIMITS } from '../chat.env.js';

/**
 * A chat turn's frames for one client, for the SSE route and the WebSocket alike. Event ids are
 * positions in the job's event log, so a reconnect with `Last-Event-ID` resumes right after the last
 * event it saw. A fresh connection to a turn still answering first gets one `token_recovery` with the
 * text so far; to a finished turn, only its closing event. Stage events are deduplicated by seq and
 * tokens by seq, so a redelivered job never shows a stage or a token twice. Ends after `done` or
 * `error`; with a `timeout` error past the bounded wait; with a `temporary` error (reconnect, to
 * another pod) when the process shuts down or the event store stays unreachable. The caller has checked that the client owns the job.
 */
@Injectable()
export class ChatEventFeed implements JobFeed {
  private readonly timing: FeedTiming;
  private readonly records: BatchedLookup<ChatJob>;

  constructor(
    private readonly events: ChatEvents,
    private readonly outcome: ChatTurnOutcome,
    chats: ChatRepository,
    private readonly shutdown: ShutdownSignal,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.timing = jobLimitsOf(config, CHAT_LIMITS).stream;
    this.records = jobRecordLookup((ids) => chats.findJobs(ids));
  }

  // `lastEventId` is a log position: the feed resumes right after it. A WebSocket `resume` is fresh.
  async *follow({ jobId, lastEventId, signal }: JobFeedRequest): AsyncGenerator<FeedFrame, void, undefined> {
    const fresh = lastEventId === undefined;
    if (fresh) {
      const closing = await this.outcome.closingEventOf(jobId);
      if (closing) return yield frameOf(closing);
    }
    let lastTokenSeq = 0;
    if (fresh) {
      const recovery = await this.tokenRecovery(jobId);
      if (recovery) {
        yield recovery.frame;
        lastTokenSeq = recovery.lastSeq;
      }
    }
    const sentStageSeqs = new Set<number>();
    yield* followJob<ChatEvent>(
      this.events.log,
      {
        jobId,
        from: fresh ? 0 : lastEventId + 1,
        frameOf: (event, position) => {
          const seq = Number(event.data.seq);
          if (event.event === 'token') {
            if (seq <= lastTokenSeq) return null;
            lastTokenSeq = seq;
          } else if (!isClosing(event)) {
            if (sentStageSeqs.has(seq)) return null;
            sentStageSeqs.add(seq);
          }
          return frameOf(event, position);
        },
        closes: isClosing,
        closingFromRecord: async () => this.outcome.closingEventOfJob(await this.records.find(jobId)),
        keepAlive: () => ({ event: 'keepalive', data: { job_id: jobId } }),
        timedOut: () => feedEndFrame(jobId, 'timeout'),
        interrupted: () => feedEndFrame(jobId, 'temporary'),
      },
      this.timing,
      signal,
      this.shutdown.signal,
    );
  }

  /**
   * A fresh connection to a job mid-answer: one `token_recovery` with everything streamed so far.
   * `completed` is always false (with true the app closes without showing the answer); the `done`
   * that follows carries the full answer. Also gives the last token seq it covered.
   */
  private async tokenRecovery(jobId: string): Promise<{ frame: EventFrame; lastSeq: number } | null> {
    const logged = await this.events.readFrom(jobId, 0).catch(() => []);
    const tokens = logged.filter((e) => e.event === 'token');
    if (tokens.length === 0 || logged.some(isClosing)) return null;
    let accumulated = '';
    let lastSeq = 0;
    for (const token of tokens) {
      const seq = Number(token.data.seq);
      if (seq <= lastSeq) continue;
      accumulated += String(token.data.content);
      lastSeq = seq;
    }
    return {
      frame: {
        event: 'token_recovery',
        data: { job_id: jobId, accumulated, last_seq: lastSeq, completed: false },
      },
      lastSeq,
    };
  }
}

const frameOf = (event: ChatEvent, position?: number): EventFrame => ({
  id: position,
  event: event.event,
  data: event.data,
});
