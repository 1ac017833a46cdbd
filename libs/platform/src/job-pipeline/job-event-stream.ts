import {
  applyDecorators,
  createParamDecorator,
  Get,
  Injectable,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiHeader, ApiParam, ApiProduces } from '@nestjs/swagger';
import { ShutdownSignal } from '../boot/shutdown-signal.js';
import { Unauthorized } from '../errors/domain-error.js';
import type { HttpReply, HttpRequest } from '../http/http-types.js';
import type { AuthenticatedRequest } from '../security/access-token.guard.js';
import { parseLastEventId, serveEventStream } from '../sse/event-stream.js';
import type { FeedFrame } from './job-feed.js';

/** Where a client starts following one job. */
export interface JobFeedRequest {
  jobId: string;
  /** The last event id the client saw (`Last-Event-ID`), absent for a fresh connection. */
  lastEventId?: number;
  /** Ends the feed (client gone, process shutting down). */
  signal: AbortSignal;
}

/** A job kind's frames for one client (`ScanEventFeed`, `ChatEventFeed`), for SSE and WebSocket alike. */
export interface JobFeed {
  follow(request: JobFeedRequest): AsyncIterable<FeedFrame>;
}

/** What a `GET …/{job_id}/events` request asks for: whose job, which one, and from where. */
export interface JobStreamRequest {
  jobId: string;
  userId: string;
  /** The `Last-Event-ID` header as an event id, if the client sent a valid one. */
  lastEventId: number | undefined;
  request: HttpRequest;
}

/** The route `GET {prefix}/:job_id/events`, documented as an event stream. */
export const JobEventsRoute = (): MethodDecorator =>
  applyDecorators(
    Get(':job_id/events'),
    ApiProduces('text/event-stream'),
    ApiParam({ name: 'job_id', type: String }),
    ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event id' }),
  );

/** The `JobStreamRequest` of the authenticated caller (the events route's one parameter besides `@Res()`). */
export const JobStream = createParamDecorator((_: unknown, context: ExecutionContext): JobStreamRequest => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest & { params: { job_id: string } }>();
  if (!request.user) throw new Unauthorized();
  const header = request.headers['last-event-id'];
  return {
    jobId: request.params.job_id,
    userId: request.user.id,
    lastEventId: parseLastEventId(Array.isArray(header) ? header[0] : header),
    request,
  };
});

/**
 * The one events route of every job kind: checks that the caller owns the job, then serves the job's
 * feed as SSE until it ends, the client leaves or the process starts shutting down (so it can drain).
 */
@Injectable()
export class JobEventStreams {
  constructor(private readonly shutdown: ShutdownSignal) {}

  async serve(
    stream: JobStreamRequest,
    reply: HttpReply,
    feed: JobFeed,
    /** The job if `userId` owns it; throws the 404 otherwise. */
    ownedJob: (jobId: string, userId: string) => Promise<{ id: string }>,
  ): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await ownedJob(stream.jobId, stream.userId);
    await serveEventStream(stream.request, reply, this.shutdown, (signal) =>
      feed.follow({ jobId: job.id, lastEventId: stream.lastEventId, signal }),
    );
  }
}
