import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  ACCEPTED_CONTENT_TYPES,
  IMAGE_CHANNELS,
  MAX_IMAGE_BYTES,
  type AcceptedContentType,
  type ImageChannel,
} from '../image-formats.js';

export class ImageChannelParams {
  @ApiProperty({ enum: IMAGE_CHANNELS })
  @IsIn(IMAGE_CHANNELS, { message: `channel must be one of ${IMAGE_CHANNELS.join(', ')}` })
  channel: ImageChannel;
}

export class CreateUploadDto {
  @ApiProperty({ example: 'bottle.jpg', description: 'directory parts are ignored' })
  @IsString()
  @Length(1, 255)
  filename: string;

  @ApiProperty({ enum: ACCEPTED_CONTENT_TYPES, example: 'image/jpeg' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(ACCEPTED_CONTENT_TYPES, {
    message: `content_type must be one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`,
  })
  content_type: AcceptedContentType;

  @ApiPropertyOptional({ description: 'bytes the client will upload', maximum: MAX_IMAGE_BYTES })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_IMAGE_BYTES, { message: `size must not exceed ${MAX_IMAGE_BYTES} bytes (10 MiB)` })
  size?: number;
}
