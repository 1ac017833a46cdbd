import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const NOT_BLANK = /\S/;
export const MAX_MESSAGE_LENGTH = 4000;
const MAX_TITLE_LENGTH = 200;

export class ListChatsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class ReadChatQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page (older messages)' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class CreateChatDto {
  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH })
  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  @MaxLength(MAX_TITLE_LENGTH)
  title?: string;
}

export class RenameChatDto {
  @ApiProperty({ maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  @MaxLength(MAX_TITLE_LENGTH)
  title: string;
}

export class UserLocationDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude: number;
}

export class SubmitChatMessageDto {
  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @Matches(NOT_BLANK, { message: 'message must not be blank' })
  @MaxLength(MAX_MESSAGE_LENGTH)
  message: string;

  @ApiPropertyOptional({ description: 'a cdn_url from POST /api/v1/images/chat, uploaded by the caller' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  image_url?: string;

  @ApiPropertyOptional({ type: UserLocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UserLocationDto)
  user_location?: UserLocationDto;

  /** The app sends "gpt-5.2" or "gemini-3-flash-preview": recorded, never refused (API.md), whatever its type. */
  @ApiPropertyOptional({ description: 'requested model; accepted or ignored, never refused' })
  @Allow()
  model?: unknown;
}

export class ChatSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ nullable: true, type: String }) preview: string | null;
  @ApiProperty() message_count: number;
  @ApiProperty({ nullable: true, type: String }) last_message_at: string | null;
  @ApiProperty() created_at: string;
}

export class ChatListDto {
  @ApiProperty({ type: [ChatSummaryDto] }) chats: ChatSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
}

export class ChatCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty() created_at: string;
}

export class ChatMessageDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['user', 'assistant'] }) role: 'user' | 'assistant';
  @ApiProperty() content: string;
  @ApiProperty({ nullable: true, type: String }) image_url: string | null;
  @ApiProperty() created_at: string;
}

export class ChatDetailDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ type: [ChatMessageDto], description: 'oldest → newest within the page' })
  messages: ChatMessageDto[];
  @ApiProperty() has_more: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'cursor of the next older page' }) next_cursor:
    string | null;
  @ApiProperty() created_at: string;
}

export class ChatMessageSubmittedDto {
  @ApiProperty() job_id: string;
  @ApiProperty({ example: '/api/v1/chat/{job_id}/events' }) stream_url: string;
  @ApiProperty({ enum: ['submitted'] }) status: 'submitted';
}

/** `{type: "message", chat_id, ...}` on `/api/v1/chat/ws`: a turn, as `POST /{chat_id}/messages` takes it. */
export class ChatSocketMessageDto extends SubmitChatMessageDto {
  @IsString()
  @MaxLength(64)
  chat_id: string;
}

/** `{type: "resume", job_id}` on `/api/v1/chat/ws`: the turn's events again, after a reconnect. */
export class ChatSocketResumeDto {
  @IsString()
  @MaxLength(64)
  job_id: string;
}
