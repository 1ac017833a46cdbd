import { Controller, Get, Inject, Put, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { DomainError, Forbidden, NotFound } from '../errors/domain-error.js';
import { pathOf, type HttpReply, type HttpRequest } from '../http/http-types.js';
import { Public } from '../security/public.decorator.js';
import { BLOB_STORE, type BlobStore } from './blob-store.js';
import { blobKeyOfPath, LocalBlobStore, LOCAL_BLOB_ROUTE } from './local-blob-store.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Past the limit, the rest of a body is read and dropped up to this much, so the 413 reaches the client. */
const DISCARD_AFTER_LIMIT_BYTES = 16 * 1024 * 1024;

const tooLarge = (limit: number): DomainError =>
  new DomainError(413, 'PAYLOAD_TOO_LARGE', `Uploads are limited to ${limit} bytes`);

/**
 * The body up to `limit` bytes. A longer one (chunked: no Content-Length to refuse up front) fails
 * with 413, and its remaining bytes are read and dropped: destroying the socket here would reset the
 * connection before the answer is written. A client that keeps sending far past the limit is cut off.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit + DISCARD_AFTER_LIMIT_BYTES) request.destroy();
      if (size > limit) {
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Serves the local blob store's signed URLs (embedded default only). Public: the signature in the
 * URL is the authorisation, exactly like an S3 presigned URL.
 */
@ApiExcludeController()
@Public()
@Controller(LOCAL_BLOB_ROUTE.replace(/^\//, ''))
export class LocalBlobController {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  @Put('*')
  async upload(@Req() request: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    const { store, key } = this.authorise(request, 'PUT');
    const contentType = String(request.headers['content-type'] ?? '');
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) throw tooLarge(MAX_UPLOAD_BYTES);
    await store.put(key, await readBody(request.raw, MAX_UPLOAD_BYTES), contentType);
    await reply.code(200).send();
  }

  @Get('*')
  async download(@Req() request: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    const { store, key } = this.authorise(request, 'GET');
    const head = await store.head(key);
    if (!head) throw new NotFound('No such object');
    await reply
      .header('Content-Type', head.contentType ?? 'application/octet-stream')
      .header('Cache-Control', 'private, max-age=3600')
      .send(await store.get(key));
  }

  private authorise(request: HttpRequest, method: 'GET' | 'PUT'): { store: LocalBlobStore; key: string } {
    if (!(this.store instanceof LocalBlobStore)) throw new NotFound();
    const key = blobKeyOfPath(pathOf(request));
    if (key === null) throw new Forbidden('Invalid URL signature');
    const query = new URL(request.url, 'http://local').searchParams;
    const verdict = this.store.verify(method, key, query, String(request.headers['content-type'] ?? ''));
    if (verdict !== 'ok')
      throw new Forbidden(verdict === 'expired' ? 'URL expired' : 'Invalid URL signature');
    return { store: this.store, key };
  }
}
