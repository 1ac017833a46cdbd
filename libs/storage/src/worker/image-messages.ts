import { PermanentFailure } from '#platform';

/** `image.uploaded`: an object was PUT for this upload and waits for the storage worker. */
export interface ImageUploadedMessage {
  upload_id: string;
}

/**
 * `image.delete`: carries the keys themselves, because account deletion removes the upload rows (ON
 * DELETE CASCADE) right after queueing.
 */
export interface ImageDeleteMessage {
  upload_id: string;
  keys: string[];
}

export function parseImageUploaded(body: unknown): ImageUploadedMessage {
  const message = body as Partial<ImageUploadedMessage> | null;
  if (typeof message?.upload_id !== 'string') throw new PermanentFailure('image.uploaded without upload_id');
  return { upload_id: message.upload_id };
}

export function parseImageDelete(body: unknown): ImageDeleteMessage {
  const message = body as Partial<ImageDeleteMessage> | null;
  if (
    typeof message?.upload_id !== 'string' ||
    !Array.isArray(message.keys) ||
    !message.keys.every((key) => typeof key === 'string')
  )
    throw new PermanentFailure('image.delete needs upload_id and keys');
  return { upload_id: message.upload_id, keys: message.keys };
}
