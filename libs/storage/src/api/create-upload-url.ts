import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, Clock, Forbidden, RateLimited, ValidationFailed } from '#platform';
import type { UploadUrlDto } from '../dto/upload-url.dto.js';
import { imageKeys, type AcceptedContentType, type ImageChannel } from '../image-formats.js';
import { ImageUpload } from '../image-upload.entity.js';
import { ImageUploadRepository } from '../image-upload.repository.js';
import { StorageBlobs } from '../storage-blobs.js';
import { uploadWindowMs } from '../upload-window.js';

export interface CreateUploadUrlCommand {
  userId: string;
  channel: ImageChannel;
  filename: string;
  contentType: AcceptedContentType;
  size?: number;
  /** Origin the browser reached us on (the local store builds its URLs on it). */
  baseUrl: string;
}

/** `POST /api/v1/images/{channel}`: records the upload as the caller's and signs the browser's PUT. */
@Injectable()
export class CreateUploadUrl {
  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async run(command: CreateUploadUrlCommand): Promise<UploadUrlDto> {
    // Only the base name: a path from the client's file system says nothing we want to keep.
    const filename = command.filename.split(/[\\/]/).pop()?.trim() ?? '';
    if (!filename) throw new ValidationFailed([{ field: 'filename', message: 'filename must name a file' }]);
    const now = this.clock.now();
    await this.refuseOverPendingLimit(command.userId, now);
    const id = randomUUID();
    const keys = imageKeys(command.channel, id.replaceAll('-', ''), command.contentType);
    const upload = Object.assign(new ImageUpload(), {
      id,
      userId: command.userId,
      channel: command.channel,
      stagingKey: keys.staging,
      publicKey: keys.public,
      thumbnailKey: keys.thumbnail,
      originalFilename: filename,
      declaredContentType: command.contentType,
      declaredSize: command.size ?? null,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<ImageUpload>);
    if ((await this.uploads.insert(upload)) === 'unknown-user') {
      // A valid token whose account is gone: refreshing cannot fix it, so not a 401 (API.md).
      throw new Forbidden('This account no longer exists');
    }
    const store = this.blobs.store;
    const presigned = await store.presignUpload(
      keys.staging,
      command.contentType,
      this.config.int('UPLOAD_URL_TTL_SECONDS'),
      command.baseUrl,
    );
    return {
      key: keys.public,
      upload_url: presigned.url,
      cdn_url: store.publicUrl(keys.public, command.baseUrl),
      expires_in: presigned.expiresIn,
      required_headers: presigned.headers,
    };
  }

  /**
   * Every unused upload URL is a row the pending sweep keeps checking until the URL expires: a user
   * holds at most IMAGE_UPLOAD_PENDING_LIMIT of them, and may ask again once the oldest expires.
   */
  private async refuseOverPendingLimit(userId: string, now: Date): Promise<void> {
    const limit = this.config.int('IMAGE_UPLOAD_PENDING_LIMIT');
    const windowMs = uploadWindowMs(this.config);
    const unused = await this.uploads.findUnusedIssuedSince(
      userId,
      new Date(now.getTime() - windowMs),
      limit,
    );
    if (unused.length < limit) return;
    throw new RateLimited((unused[0]!.createdAt.getTime() + windowMs - now.getTime()) / 1000);
  }
}
