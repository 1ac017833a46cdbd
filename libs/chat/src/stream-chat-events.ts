import { Injectable } from '@nestjs/common';
import {
  parseLastEventId,
  serveEventStream,
  ShutdownSignal,
  type HttpReply,
  type HttpRequest,
} from '../../platform/src/index.js';
import { ChatEventFeed } from './chat-event-feed.js';
import { OwnedChats } from './owned-chats.js';

export interface StreamChatEventsRequest {
  jobId: string;
  userId: string;
  /** The raw `Last-Event-ID` header. */
  lastEventId: string | undefined;
  request: HttpRequest;
  response: HttpReply;
}

/** `GET /api/v1/chat/{job_id}/events`: the turn's feed (`ChatEventFeed`) as SSE. */
@Injectable()
export class StreamChatEvents {
  constructor(
    private readonly owned: OwnedChats,
    private readonly feed: ChatEventFeed,
    private readonly shutdown: ShutdownSignal,
  ) {}

  async run({ jobId, userId, lastEventId, request, response }: StreamChatEventsRequest): Promise<void> {
    // Ownership is checked before any byte is sent, so a foreign id still gets a plain 404 envelope.
    const job = await this.owned.job(jobId, userId);
    await serveEventStream(request, response, this.shutdown, (signal) =>
      this.feed.follow({ jobId: job.id, lastEventId: parseLastEventId(lastEventId), signal }),
    );
  }
}
