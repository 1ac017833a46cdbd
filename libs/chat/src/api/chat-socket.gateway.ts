import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { WebSocket, WebSocketServer } from 'ws';
import {
  AppConfig,
  createValidationPipe,
  ShutdownSignal,
  SocketSession,
  UNREADABLE_FRAME,
  ValidationFailed,
  type AuthenticatedUpgrade,
  type AuthenticatedUser,
} from '#platform';
import { ChatEventFeed } from './chat-event-feed.js';
import { ChatSocketMessageDto, ChatSocketResumeDto } from '../dto/chat.dto.js';
import { OwnedChats } from './owned-chats.js';
import { SubmitChatMessage } from './submit-chat-message.js';

export const CHAT_SOCKET_PATH = '/api/v1/chat/ws';

interface ChatSocket {
  session: SocketSession;
  user: AuthenticatedUser;
  /** The public origin of the upgrade, which a message's `image_url` must be on. */
  baseUrl: string;
}

/**
 * `/api/v1/chat/ws`: the chat turn over one WebSocket. The upgrade is authenticated like any HTTP
 * route (AuthenticatedWsAdapter). `{type: "message", chat_id, ...}` submits a turn through the same
 * use case as `POST /{chat_id}/messages`, answers `accepted` `{job_id, chat_id}`, then sends the
 * turn's feed — the SSE stream's events, in the same JSON (API.md, chat `GET /ws`). `{type: "resume", job_id}` after a
 * reconnect sends the feed of a turn again (`token_recovery` first when it is mid-answer). A request
 * that fails (validation, another user's chat) gets an `error` frame (`not_found`, …) with the error
 * envelope's code; the socket stays open.
 */
@WebSocketGateway({ path: CHAT_SOCKET_PATH })
export class ChatSocketGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly sockets = new WeakMap<WebSocket, ChatSocket>();
  private readonly validation = createValidationPipe();
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;
  private readonly maxFrameBytes: number;

  constructor(
    private readonly submitChatMessage: SubmitChatMessage,
    private readonly owned: OwnedChats,
    private readonly feed: ChatEventFeed,
    private readonly shutdown: ShutdownSignal,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.heartbeatMs = config.int('CHAT_WS_HEARTBEAT_MS');
    this.maxBufferedBytes = config.int('CHAT_WS_MAX_BUFFERED_BYTES');
    this.maxFrameBytes = config.int('CHAT_WS_MAX_FRAME_BYTES');
  }

  afterInit(server: WebSocketServer): void {
    // Gateway options are static; the limit comes from config, read by ws for every new socket.
    server.options.maxPayload = this.maxFrameBytes;
  }

  handleConnection(socket: WebSocket, request: AuthenticatedUpgrade): void {
    const session = new SocketSession(
      socket,
      {
        heartbeatMs: this.heartbeatMs,
        maxBufferedBytes: this.maxBufferedBytes,
        expiresAt: request.user.exp * 1000,
      },
      this.shutdown,
    );
    this.sockets.set(socket, { session, user: request.user, baseUrl: request.baseUrl });
  }

  @SubscribeMessage('message')
  message(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown): Promise<void> {
    const context = { type: 'message', chat_id: (body as { chat_id?: unknown }).chat_id };
    return this.followTurn(
      socket,
      body,
      ChatSocketMessageDto,
      context,
      async (request, { user, session, baseUrl }) => {
        const { job_id: jobId } = await this.submitChatMessage.run({
          userId: user.id,
          chatId: request.chat_id,
          request,
          baseUrl,
        });
        session.send({ event: 'accepted', data: { job_id: jobId, chat_id: request.chat_id } });
        return jobId;
      },
    );
  }

  @SubscribeMessage('resume')
  resume(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown): Promise<void> {
    const context = { type: 'resume', job_id: (body as { job_id?: unknown }).job_id };
    // A fresh follow: mid-answer it starts with `token_recovery`, then the rest of the answer.
    return this.followTurn(socket, body, ChatSocketResumeDto, context, async (request, { user }) => {
      return (await this.owned.job(request.job_id, user.id)).id;
    });
  }

  /**
   * Validates the frame as `metatype`, lets `start` name the caller's turn, then streams its feed. A
   * failure before the feed starts is answered with an error frame carrying `context`.
   */
  private async followTurn<T extends object>(
    socket: WebSocket,
    body: unknown,
    metatype: new () => T,
    context: Record<string, unknown>,
    start: (request: T, socket: ChatSocket) => Promise<string>,
  ): Promise<void> {
    const connected = this.sockets.get(socket)!;
    const { session } = connected;
    let jobId: string;
    try {
      const request = (await this.validation.transform(body, { type: 'body', metatype })) as T;
      jobId = await start(request, connected);
    } catch (error) {
      return session.sendError(error, context);
    }
    await session.stream((signal) => this.feed.follow({ jobId, signal }));
  }

  @SubscribeMessage(UNREADABLE_FRAME)
  unreadable(@ConnectedSocket() socket: WebSocket): void {
    this.sockets
      .get(socket)!
      .session.sendError(
        new ValidationFailed(
          [{ field: 'type', message: 'a frame is a JSON object with type "message" or "resume"' }],
          'Unreadable frame',
        ),
        {},
      );
  }
}
