import { Injectable } from '@nestjs/common';
import {
  parseLastEventId,
  serveEventStream,
  ShutdownSignal,
  type HttpReply,
  type HttpRequest,
} from '../../platform/src/index.js';
import { OwnedScanJobs } from './owned-scan-job.js';
import { ScanEventFeed } from './scan-event-feed.js';

export interface StreamScanEventsRequest {
  jobId: string;
  userId: string;
  /** The raw `Last-Event-ID` header. */
  lastEventId: string | undefined;
  request: HttpRequest;
  response: HttpReply;
}

/**
 * `GET /{job_id}/events`: the job's feed (`ScanEventFeed`) as SSE. The stream ends when the process
 * starts shutting down, so the server can drain.
 */
@Injectable()
export class StreamScanEvents {
  constructor(
    private readonly owned: OwnedScanJobs,
    private readonly feed: ScanEventFeed,
    private readonly shutdown: ShutdownSignal,
  ) {}

  async run({ jobId, userId, lastEventId, request, response }: StreamScanEventsRequest): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await this.owned.get(jobId, userId);
    await serveEventStream(request, response, this.shutdown, (signal) =>
      this.feed.follow({ jobId: job.id, lastEventId: parseLastEventId(lastEventId), signal }),
    );
  }
}
