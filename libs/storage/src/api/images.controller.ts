import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HttpRequest } from '#platform';
import { AppConfig, CurrentUser, publicBaseUrl, type AuthenticatedUser } from '#platform';
import { CreateUploadUrl } from './create-upload-url.js';
import { CreateUploadDto, ImageChannelParams } from '../dto/create-upload.dto.js';
import { UploadUrlDto } from '../dto/upload-url.dto.js';

@ApiTags('images')
@ApiBearerAuth()
@Controller('api/v1/images')
export class ImagesController {
  constructor(
    private readonly createUploadUrl: CreateUploadUrl,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post(':channel')
  @HttpCode(200)
  @ApiOkResponse({ type: UploadUrlDto })
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: ImageChannelParams,
    @Body() body: CreateUploadDto,
    @Req() request: HttpRequest,
  ): Promise<UploadUrlDto> {
    return this.createUploadUrl.run({
      userId: user.id,
      channel: params.channel,
      filename: body.filename,
      contentType: body.content_type,
      size: body.size,
      baseUrl: publicBaseUrl(request, this.config),
    });
  }
}
