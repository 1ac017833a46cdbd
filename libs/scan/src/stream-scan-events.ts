import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig, ShutdownSignal } from '../../platform/src/index.js';
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
  private readonly keepAliveMs: number;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly owned: OwnedScanJobs,
    private readonly jobs: ScanJobRepository,
    private readonly progress: ScanProgress,
    private readonly shutdown: ShutdownSignal,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.keepAliveMs = config.int('SCAN_SSE_KEEPALIVE_MS');
    this.pollMs = config.int('SCAN_SSE_POLL_MS');
    this.maxWaitMs = config.int('SCAN_SSE_MAX_WAIT_MS');
  }

  async run(
    jobId: string,
    userId: string,
    lastEventId: string | undefined,
    request: Request,
    response: Response,
  ): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await this.owned.get(jobId, userId);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();

    const stop = new AbortController();
    const end = (): void => stop.abort();
    request.on('close', end);
    this.shutdown.signal.addEventListener('abort', end, { once: true });
    try {
      await this.follow(job, parseLastEventId(lastEventId), response, stop.signal);
    } catch (error) {
      this.logger.warn({ jobId, err: (error as Error).message }, 'scan event stream ended early');
    } finally {
      request.off('close', end);
      this.shutdown.signal.removeEventListener('abort', end);
      if (!response.writableEnded) response.end();
    }
  }

  private async follow(job: ScanJob, lastSeq: number, response: Response, stop: AbortSignal): Promise<void> {
    const started = Date.now();
    let index = 0;
    let lastWrite = Date.now();
    let lastRowCheck = 0;
    const send = (event: ScanProgressEvent): boolean => {
      if (event.seq <= lastSeq) return false;
      lastSeq = event.seq;
      lastWrite = Date.now();
      const name = event.status === 'failed' ? 'error' : event.stage;
      response.write(`id: ${event.seq}\nevent: ${name}\ndata: ${JSON.stringify(event)}\n\n`);
      return isTerminal(event);
    };

    while (!stop.aborted) {
      try {
        const { events, next } = await this.progress.readFrom(job.id, index);
        index = next;
        for (const event of events) if (send(event)) return;
      } catch (error) {
        // The store may be briefly unreachable: keep the stream and try again at the next poll.
        this.logger.warn({ jobId: job.id, err: (error as Error).message }, 'could not read scan events');
      }
      if (Date.now() - lastRowCheck >= ROW_CHECK_MS) {
        lastRowCheck = Date.now();
        const closing = await this.closingEventFromRow(job.id);
        if (closing && send(closing)) return;
      }
      if (Date.now() - started >= this.maxWaitMs) {
        const data = { job_id: job.id, error: 'timeout', message: 'Maximum wait time exceeded' };
        response.write(
          `${lastSeq >= 0 ? `id: ${lastSeq}\n` : ''}event: error\ndata: ${JSON.stringify(data)}\n\n`,
        );
        return;
      }
      if (Date.now() - lastWrite >= this.keepAliveMs) {
        response.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await pause(Math.min(this.pollMs, this.keepAliveMs), stop);
    }
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

function parseLastEventId(value: string | undefined): number {
  const seq = Number.parseInt(value ?? '', 10);
  return Number.isFinite(seq) && seq >= 0 ? seq : -1;
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
