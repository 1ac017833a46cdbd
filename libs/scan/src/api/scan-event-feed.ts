import { Inject, Injectable } from '@nestjs/common';
import {
  AppConfig,
  type BatchedLookup,
  feedEndFrame,
  followJob,
  jobRecordLookup,
  jobLimitsOf,
  ShutdownSignal,
  type FeedFrame,
} from '#platform';
import type { FeedTiming, JobFeed, JobFeedRequest } from '#platform';
import type { ScanJob } from '../scan-job.entity.js';
import { ScanJobRepository } from '../scan-job.repository.js';
import { isTerminal, ScanProgress, type ScanProgressEvent } from '../scan-progress.js';
import { SCAN_LIMITS } from '../scan.env.js';

/**
 * A scan job's frames for one client: ids are the event seqs, so a reconnect with `Last-Event-ID`
 * never sees an event twice; `error` for a failed stage, else the stage name; keep-alive comments;
 * ends after `done` or `error`, with a `timeout` error past the bounded wait, with a `temporary` error
 * when the process shuts down or the event store stays unreachable. The caller has checked
 * that the client owns the job.
 */
@Injectable()
export class ScanEventFeed implements JobFeed {
  private readonly timing: FeedTiming;
  private readonly records: BatchedLookup<ScanJob>;

  constructor(
    private readonly progress: ScanProgress,
    jobs: ScanJobRepository,
    private readonly shutdown: ShutdownSignal,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.timing = jobLimitsOf(config, SCAN_LIMITS).stream;
    this.records = jobRecordLookup((ids) => jobs.findByIds(ids));
  }

  // `lastEventId` is an event seq.
  follow({ jobId, lastEventId, signal }: JobFeedRequest): AsyncIterable<FeedFrame> {
    let lastSeq = lastEventId ?? -1;
    return followJob<ScanProgressEvent>(
      this.progress.log,
      {
        jobId,
        // Ids are seqs, not positions, and a redelivered job may log a seq again: read from the start.
        from: 0,
        frameOf: (event) => {
          if (event.seq <= lastSeq) return null;
          lastSeq = event.seq;
          return { id: event.seq, event: event.status === 'failed' ? 'error' : event.stage, data: event };
        },
        closes: isTerminal,
        closingFromRecord: async () => {
          const job = await this.records.find(jobId);
          return job ? this.progress.closingEventOf(job) : null;
        },
        keepAlive: () => ({ comment: 'keep-alive' }),
        timedOut: () => feedEndFrame(jobId, 'timeout', lastSeq >= 0 ? lastSeq : undefined),
        // The app polls `/result` on any `error`; `temporary` says the job itself did not fail.
        // No `id:`: the client keeps its last event id, so a reconnect resumes right after it.
        interrupted: () => feedEndFrame(jobId, 'temporary'),
      },
      this.timing,
      signal,
      this.shutdown.signal,
    );
  }
}
