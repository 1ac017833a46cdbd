import { Inject, Injectable, Logger } from '@nestjs/common';
import type { HttpReply, HttpRequest } from '../../platform/src/index.js';
import {
  AppConfig,
  parseLastEventId,
  serveEventStream,
  ShutdownSignal,
  type EventStream,
  type EventStreamTiming,
} from '../../platform/src/index.js';
import { OwnedScanJobs } from './owned-scan-job.js';
import type { ScanJob } from './scan-job.entity.js';
import { ScanJobRepository } from './scan-job.repository.js';
import { isTerminal, ScanProgress, type ScanProgressEvent } from './scan-progress.js';
import { finishedResultOf } from './scan-result-view.js';

/** How often an open stream also re-reads the job row, in case its closing event never made the log. */
const ROW_CHECK_MS = 5000;

/**
 * `GET /{job_id}/events`: replays the job's events after `Last-Event-ID` (ids are the event seq, so a
 * reconnect never sees an event twice), then follows the key-value log until `done` or `error`.
 * Keep-alive comments keep proxies from closing an idle stream; the wait is bounded; the stream ends
 * when the process starts shutting down so the server can drain.
 */
@Injectable()
export class StreamScanEvents {
  private readonly logger = new Logger(StreamScanEvents.name);
  private readonly timing: EventStreamTiming;

  constructor(
    private readonly owned: OwnedScanJobs,
    private readonly jobs: ScanJobRepository,
    private readonly progress: ScanProgress,
    private readonly shutdown: ShutdownSignal,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.timing = {
      keepAliveMs: config.int('SCAN_SSE_KEEPALIVE_MS'),
      pollMs: config.int('SCAN_SSE_POLL_MS'),
      maxWaitMs: config.int('SCAN_SSE_MAX_WAIT_MS'),
    };
  }

  async run(
    jobId: string,
    userId: string,
    lastEventId: string | undefined,
    request: HttpRequest,
    response: HttpReply,
  ): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await this.owned.get(jobId, userId);
    await serveEventStream(request, response, this.shutdown, async (stream) => {
      try {
        await this.follow(job, parseLastEventId(lastEventId) ?? -1, stream);
      } catch (error) {
        this.logger.warn({ jobId, err: (error as Error).message }, 'scan event stream ended early');
      }
    });
  }

  private async follow(job: ScanJob, lastSeq: number, stream: EventStream): Promise<void> {
    let index = 0;
    let lastRowCheck = 0;
    const send = (event: ScanProgressEvent): boolean => {
      if (event.seq <= lastSeq) return false;
      lastSeq = event.seq;
      stream.write({ id: event.seq, event: event.status === 'failed' ? 'error' : event.stage, data: event });
      return isTerminal(event);
    };

    await stream.follow(this.timing, {
      poll: async () => {
        try {
          const { events, next } = await this.progress.readFrom(job.id, index);
          index = next;
          for (const event of events) if (send(event)) return true;
        } catch (error) {
          // The store may be briefly unreachable: keep the stream and try again at the next poll.
          this.logger.warn({ jobId: job.id, err: (error as Error).message }, 'could not read scan events');
        }
        if (Date.now() - lastRowCheck < ROW_CHECK_MS) return false;
        lastRowCheck = Date.now();
        const closing = await this.closingEventFromRow(job.id);
        return closing !== null && send(closing);
      },
      keepAlive: () => stream.comment('keep-alive'),
      timedOut: () =>
        stream.write({
          id: lastSeq >= 0 ? lastSeq : undefined,
          event: 'error',
          data: { job_id: job.id, error: 'timeout', message: 'Maximum wait time exceeded' },
        }),
    });
  }

  /**
   * The closing event rebuilt from the stored row: a finished job whose events expired (or whose
   * closing event was never published) still replays and closes at once.
   */
  private async closingEventFromRow(jobId: string): Promise<ScanProgressEvent | null> {
    const job = await this.jobs.findById(jobId).catch(() => null);
    const result = job ? finishedResultOf(job) : null;
    if (!job || !result) return null;
    const ts = Math.floor((job.completedAt ?? job.updatedAt).getTime() / 1000);
    return result.status === 'completed'
      ? { job_id: jobId, stage: 'done', status: 'completed', seq: 51, ts, progress: 100, result }
      : {
          job_id: jobId,
          stage: 'done',
          status: 'failed',
          seq: 52,
          ts,
          progress: 100,
          error: result.error.code,
          message: result.error.message,
          result,
        };
  }
}
