import { Injectable } from '@nestjs/common';
import { mimeTypeOf, publicFormatFor } from './image-formats.js';
import { ImageUploadRepository } from './image-upload.repository.js';
import { InvalidImage } from './worker/invalid-image.js';
import { ProcessUpload } from './worker/process-upload.js';
import { StorageBlobs } from './storage-blobs.js';

export interface VerifiedImage {
  /** The cleaned image (no metadata), never the bytes the browser sent. */
  bytes: Buffer;
  mimeType: string;
  /** The file name the user picked, for providers that read hints from it. */
  filename: string;
}

/**
 * What the AI worker sends to the provider. If the storage worker has not processed the upload yet,
 * it is processed here (idempotently), so the provider never sees an unchecked file.
 */
@Injectable()
export class LoadVerifiedImage {
  constructor(
    private readonly uploads: ImageUploadRepository,
    private readonly blobs: StorageBlobs,
    private readonly processUpload: ProcessUpload,
  ) {}

  async run(key: string): Promise<VerifiedImage> {
    const upload = await this.uploads.findByPublicKey(key);
    if (!upload) throw new InvalidImage(`no upload has the key ${key}`);
    const outcome = await this.processUpload.run(upload);
    switch (outcome.status) {
      case 'ready':
        return {
          bytes: await this.blobs.store.get(upload.publicKey),
          mimeType: mimeTypeOf(publicFormatFor(upload.declaredContentType)),
          filename: upload.originalFilename,
        };
      case 'rejected':
        throw new InvalidImage(outcome.reason);
      case 'not-uploaded':
        throw new InvalidImage('the image was never uploaded');
      case 'deleted':
      case 'gone':
        throw new InvalidImage('the image was deleted');
    }
  }
}
