import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '#platform';
import { AppConfig, CurrentUser, publicBaseUrl, type AuthenticatedUser } from '#platform';
import { JobEventsRoute, JobEventStreams, JobStream, type JobStreamRequest } from '#platform';
import { ChatEventFeed } from './chat-event-feed.js';
import { CreateChat } from './create-chat.js';
import { DeleteChat } from './delete-chat.js';
import {
  ChatCreatedDto,
  ChatDetailDto,
  ChatListDto,
  ChatMessageSubmittedDto,
  CreateChatDto,
  ListChatsQuery,
  ReadChatQuery,
  RenameChatDto,
  SubmitChatMessageDto,
} from '../dto/chat.dto.js';
import { ListChats } from './list-chats.js';
import { ReadChat } from './read-chat.js';
import { RenameChat } from './rename-chat.js';
import { OwnedChats } from './owned-chats.js';
import { SubmitChatMessage } from './submit-chat-message.js';

@ApiTags('chat')
@ApiBearerAuth()
@Controller('api/v1/chat')
export class ChatController {
  constructor(
    private readonly listChats: ListChats,
    private readonly createChat: CreateChat,
    private readonly readChat: ReadChat,
    private readonly renameChat: RenameChat,
    private readonly deleteChat: DeleteChat,
    private readonly submitChatMessage: SubmitChatMessage,
    private readonly eventStreams: JobEventStreams,
    private readonly feed: ChatEventFeed,
    private readonly owned: OwnedChats,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: ChatListDto })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListChatsQuery): Promise<ChatListDto> {
    return this.listChats.run(user.id, query);
  }

  @Post()
  @ApiCreatedResponse({ type: ChatCreatedDto })
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateChatDto): Promise<ChatCreatedDto> {
    return this.createChat.run(user.id, body);
  }

  // Declared before `GET :chat_id` so the stream route is matched first whatever the router does.
  // The turn's feed (`ChatEventFeed`) as SSE.
  @JobEventsRoute()
  events(@JobStream() stream: JobStreamRequest, @Res() response: HttpReply): Promise<void> {
    return this.eventStreams.serve(stream, response, this.feed, (jobId, userId) =>
      this.owned.job(jobId, userId),
    );
  }

  @Get(':chat_id')
  @ApiOkResponse({ type: ChatDetailDto })
  read(
    @CurrentUser() user: AuthenticatedUser,
    @Param('chat_id') chatId: string,
    @Query() query: ReadChatQuery,
  ): Promise<ChatDetailDto> {
    return this.readChat.run(user.id, chatId, query);
  }

  @Patch(':chat_id')
  @HttpCode(204)
  @ApiNoContentResponse()
  rename(
    @CurrentUser() user: AuthenticatedUser,
    @Param('chat_id') chatId: string,
    @Body() body: RenameChatDto,
  ): Promise<void> {
    return this.renameChat.run(user.id, chatId, body);
  }

  @Delete(':chat_id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentUser() user: AuthenticatedUser, @Param('chat_id') chatId: string): Promise<void> {
    return this.deleteChat.run(user.id, chatId);
  }

  @Post(':chat_id/messages')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ChatMessageSubmittedDto })
  submit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('chat_id') chatId: string,
    @Body() body: SubmitChatMessageDto,
    @Req() request: HttpRequest,
  ): Promise<ChatMessageSubmittedDto> {
    return this.submitChatMessage.run({
      userId: user.id,
      chatId,
      request: body,
      baseUrl: publicBaseUrl(request, this.config),
    });
  }
}
